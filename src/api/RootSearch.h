// POST {base}/.search (RFC 7644 §3.4.3): one SearchRequest across every served type (/Users,
// /Groups). Each resource type answers it as its own .search would (filter, sortBy,
// attributes); the results are the first type's, then the next's, each typed by
// meta.resourceType, paged across all (startIndex and count count them together; totalResults
// adds them up). A filter, sortBy or
// attribute one type does not define leaves that type out (its resources cannot match); one
// no type defines is that error. Cursors page a single type: a cursor here is 400.
#pragma once

#include "api/Http.h"
#include "api/RequestLimits.h"
#include "api/ServedResources.h"

#include <string>
#include <vector>

namespace api {

class RootSearch {
  public:
    // Every served type is searched, in the order of `resources`.
    RootSearch(const ServedResources& resources, const RequestLimits& limits)
        : _types(resources.rows()), _limits(limits) {}

    Response handle(const Request& request, const std::string& baseUrl) const;

  private:
    const std::vector<ServedResource> _types;
    const RequestLimits _limits;
};

}  // namespace api
