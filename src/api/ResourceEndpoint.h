// What every resource type's endpoint shares: routing of a collection and its members by
// method, the parameters of list requests (query string or SearchRequest body), and the read,
// delete and answer of one stored resource (StoredResourceEndpoint).
#pragma once

#include "api/CursorPaging.h"
#include "api/Http.h"
#include "api/RequestLimits.h"
#include "api/RequestSupport.h"
#include "port/CursorSeal.h"
#include "port/ResourceQuery.h"
#include "scim/Projection.h"
#include "scim/ResourceSchema.h"
#include "scim/Schema.h"
#include "scim/ScimError.h"

#include <optional>
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

    // What discovery describes: the type (its name and endpoint, "/Users") and its schemas.
    const scim::ResourceTypeDef& type() const { return _type; }
    const scim::ResourceSchema& schema() const { return _schema; }

  protected:
    // `cursors`: nullptr when cursor paging is not offered.
    ResourceEndpoint(const scim::ResourceTypeDef& type, const scim::ResourceSchema& schema,
                     const RequestLimits& limits, const port::CursorSeal* cursors)
        : _type(type), _schema(schema), _limits(limits), _cursors(cursors) {}

    const RequestLimits& limits() const { return _limits; }
    // Where the resource `id` lives: "<baseUrl>/Users/<id>".
    std::string locationOf(const std::string& baseUrl, const std::string& id) const {
        return baseUrl + _type.endpoint + "/" + id;
    }
    // 404 for an id that names no resource of this type ("No user 42").
    scim::ScimError missing(const std::string& id) const;

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

    const scim::ResourceTypeDef& _type;
    const scim::ResourceSchema& _schema;
    const RequestLimits _limits;
    const port::CursorSeal* const _cursors;
};

// A ResourceEndpoint over a store of `Record`s (an id, a version, the stored document): the
// read of one, its delete and the answer that shows one are the same for every type. A type
// says how it finds, erases and shows a record.
template <typename Record>
class StoredResourceEndpoint : public ResourceEndpoint {
  protected:
    using ResourceEndpoint::ResourceEndpoint;

    virtual std::optional<Record> find(const std::string& id) const = 0;
    // false: there was none. `expectedVersion`: the If-Match version, if any.
    virtual bool erase(const std::string& id, std::optional<Poco::Int64> expectedVersion) const = 0;
    // The resource whole as the client sees it; `shape` says what the answer projects, which
    // a type may read to leave out what costs a read.
    virtual Poco::JSON::Object::Ptr show(const Record& record,
                                         const ResponseShape& shape) const = 0;

    // The answer carrying `record`: projected, with its ETag, and its Location when created.
    Response respond(int status, const Record& record, const ResponseShape& shape) const {
        Response response =
            Response::json(status, shape.projection.apply(show(record, shape), schema()));
        response.headers.emplace_back("ETag", etagOf(record.version));
        if (status == 201) {
            response.headers.emplace_back("Location", locationOf(shape.baseUrl, record.id));
        }
        return response;
    }

  private:
    Response get(const Request& request, const std::string& id,
                 const ResponseShape& shape) const final {
        const auto record = find(id);
        if (!record) {
            throw missing(id);
        }
        if (auto unchanged = notModified(request, record->version)) {
            return *unchanged;
        }
        return respond(200, *record, shape);
    }

    Response remove(const Request& request, const std::string& id) const final {
        if (!erase(id, versionOf(request.headerValue("If-Match")))) {
            throw missing(id);
        }
        Response response;
        response.status = 204;
        return response;
    }
};

}  // namespace api
