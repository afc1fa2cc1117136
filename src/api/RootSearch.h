// POST {base}/.search (RFC 7644 §3.4.3): one SearchRequest across /Users and /Groups. Each
// resource type answers it as its own .search would (filter, sortBy, attributes); the results
// are the users' and then the groups', each typed by meta.resourceType, paged across both
// (startIndex and count count them together; totalResults adds them up). A filter, sortBy or
// attribute one type does not define leaves that type out (its resources cannot match); one
// no type defines is that error. Cursors page a single type: a cursor here is 400.
#pragma once

#include "api/Http.h"
#include "api/RequestLimits.h"
#include "api/ResourceEndpoint.h"

#include <string>
#include <vector>

namespace api {

class RootSearch {
  public:
    // `types`: the endpoints searched, in the order their results come.
    RootSearch(std::vector<const ResourceEndpoint*> types, const RequestLimits& limits)
        : _types(std::move(types)), _limits(limits) {}

    Response handle(const Request& request, const std::string& baseUrl) const;

  private:
    const std::vector<const ResourceEndpoint*> _types;
    const RequestLimits _limits;
};

}  // namespace api
