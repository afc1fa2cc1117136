// A list request as the store answers it (RFC 7644 §3.4.2: filter, sort, 1-based index paging)
// and the page it returns.
#pragma once

#include "scim/filter/Filter.h"

#include <cstddef>
#include <string>
#include <vector>

namespace port {

struct ResourceQuery {
    scim::filter::NodePtr filter;  // nullptr: every resource
    std::string sortBy;            // "": creation order
    bool descending = false;
    std::size_t startIndex = 1;  // 1-based
    std::size_t count = 100;
};

template <typename Record>
struct Page {
    std::size_t total = 0;
    std::vector<Record> records;
};

}  // namespace port
