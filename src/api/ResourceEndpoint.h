// What /Users and /Groups share: routing of a collection and its members by method, and the
// parameters of list requests (query string or SearchRequest body).
#pragma once

#include "api/CursorPaging.h"
#include "api/Http.h"
#include "api/RequestLimits.h"
#include "port/CursorSeal.h"
#include "port/ResourceQuery.h"
#include "scim/Projection.h"
#include "scim/ResourceSchema.h"

#include <string>

namespace api {

struct ListRequest {
    port::ResourceQuery query;
    scim::Projection projection;
    std::string filter;                 // as the client wrote it
    std::optional<std::string> cursor;  // set: the client pages by cursor (RFC 9865)
};

// A page of a list as an endpoint found it: the resources, rendered and projected, and what
// cursors need.
struct ListedPage {
    Poco::JSON::Array::Ptr resources;
    std::size_t total = 0;
    WalkedPage walked;
};

// How a response shows one resource: the base of its location and the attributes it carries
// (attributes, excludedAttributes), read before the request changes anything, so that a bad
// one is refused with nothing written.
struct ResponseShape {
    std::string baseUrl;
    scim::Projection projection;
};

// A store's page as a ListedPage: its rendered resources, and where its records sit.
template <typename Record>
ListedPage listedPage(Poco::JSON::Array::Ptr resources, const port::Page<Record>& page) {
    ListedPage listed{std::move(resources), page.total, {}};
    listed.walked.more = page.more;
    if (!page.records.empty()) {
        const auto& first = page.records.front();
        const auto& last = page.records.back();
        listed.walked.first = port::WalkPosition{first.createdMs, first.id};
        listed.walked.last = port::WalkPosition{last.createdMs, last.id};
    }
    return listed;
}

// filter, startIndex, count (capped at limits.maxResults), sortBy, sortOrder, cursor,
// attributes, excludedAttributes from the query string.
ListRequest listRequestFromQuery(const Request& request, const RequestLimits& limits,
                                 const scim::ResourceSchema& schema);

// The same from a POST .search body (RFC 7644 §3.4.3).
ListRequest listRequestFromSearch(const Request& request, const RequestLimits& limits,
                                  const scim::ResourceSchema& schema);

class ResourceEndpoint {
  public:
    virtual ~ResourceEndpoint() = default;

    // `id` is what follows the collection ("" for the collection, ".search" for searches).
    Response handle(const Request& request, const std::string& id,
                    const std::string& baseUrl) const;

  protected:
    // `cursors`: nullptr when cursor paging is not offered.
    ResourceEndpoint(std::string collection, const RequestLimits& limits,
                     const scim::ResourceSchema& schema, const port::CursorSeal* cursors)
        : _collection(std::move(collection)), _limits(limits), _schema(schema), _cursors(cursors) {}

    const RequestLimits& limits() const { return _limits; }
    const scim::ResourceSchema& schema() const { return _schema; }

    virtual Response create(const Request& request, const ResponseShape& shape) const = 0;
    virtual Response get(const Request& request, const std::string& id,
                         const ResponseShape& shape) const = 0;
    virtual Response replace(const Request& request, const std::string& id,
                             const ResponseShape& shape) const = 0;
    virtual Response patch(const Request& request, const std::string& id,
                           const ResponseShape& shape) const = 0;
    virtual Response remove(const Request& request, const std::string& id) const = 0;
    virtual ListedPage list(const ListRequest& list, const std::string& baseUrl) const = 0;

  private:
    Response answerList(ListRequest request, const std::string& baseUrl) const;

    const std::string _collection;  // "/Users"
    const RequestLimits _limits;
    const scim::ResourceSchema& _schema;
    const port::CursorSeal* const _cursors;
};

}  // namespace api
