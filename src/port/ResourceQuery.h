// A list request as the store answers it (RFC 7644 §3.4.2: filter, sort, 1-based index paging;
// RFC 9865: cursor paging) and the page it returns.
#pragma once

#include "scim/filter/Filter.h"

#include <Poco/Types.h>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace port {

// A resource's place in creation order, which no write changes: a walk in that order meets
// every resource that exists throughout it exactly once.
struct WalkPosition {
    Poco::Int64 createdMs = 0;
    std::string id;
};

// A cursor page: the `count` resources next to `from` in creation order (reversed when the
// query is descending), after it or, for a previous page, before it; from the first when
// `from` is empty.
struct Walk {
    std::optional<WalkPosition> from;
    bool backwards = false;
};

struct ResourceQuery {
    scim::filter::NodePtr filter;  // checked against the schema by the api; nullptr: every one
    // Checked against the schema by the api; nullopt: creation order.
    std::optional<scim::filter::AttrPath> sortBy;
    bool descending = false;
    std::size_t startIndex = 1;  // 1-based
    std::size_t count = 100;
    std::optional<Walk> walk;  // set: cursor paging, and sortBy and startIndex do not apply
};

template <typename Record>
struct Page {
    std::size_t total = 0;
    std::vector<Record> records;
    bool more = false;  // a walk: there are matches beyond the page in the walk's direction
};

}  // namespace port
