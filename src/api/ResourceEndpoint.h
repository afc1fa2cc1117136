// What /Users and /Groups share: routing of a collection and its members by method, and the
// parameters of list requests (query string or SearchRequest body).
#pragma once

#include "api/Http.h"
#include "api/RequestLimits.h"
#include "port/ResourceQuery.h"
#include "scim/Projection.h"
#include "scim/ResourceSchema.h"

#include <string>

namespace api {

struct ListRequest {
    port::ResourceQuery query;
    scim::Projection projection;
};

// How a response shows one resource: the base of its location and the attributes it carries
// (attributes, excludedAttributes), read before the request changes anything, so that a bad
// one is refused with nothing written.
struct ResponseShape {
    std::string baseUrl;
    scim::Projection projection;
};

// filter, startIndex, count (capped at limits.maxResults), sortBy, sortOrder, attributes,
// excludedAttributes from the query string.
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
    ResourceEndpoint(std::string collection, const RequestLimits& limits,
                     const scim::ResourceSchema& schema)
        : _collection(std::move(collection)), _limits(limits), _schema(schema) {}

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
    virtual Response list(const ListRequest& list, const std::string& baseUrl) const = 0;

  private:
    const std::string _collection;  // "/Users"
    const RequestLimits _limits;
    const scim::ResourceSchema& _schema;
};

}  // namespace api
