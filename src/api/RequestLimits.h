// What one request may hold, beyond the host's body size: each limit answered with a SCIM
// error, so that no input makes a worker recurse or loop without bound (scim.limits.* settings).
#pragma once

#include "scim/filter/FilterParser.h"

#include <cstddef>

namespace api {

struct RequestLimits {
    std::size_t maxResults = 200;           // count is capped at it
    std::size_t jsonDepth = 32;             // nesting of a body's objects and arrays (400)
    std::size_t jsonValues = 100000;        // values in one body (400)
    std::size_t jsonStringBytes = 1048576;  // one string or key of a body (400)
    std::size_t patchOperations = 1000;     // Operations of one PATCH (400)
    std::size_t membersPerPatch = 10000;    // member values of one group PATCH (400 tooMany)
    scim::filter::ParseLimits filter;       // length and nesting (400 invalidFilter)
};

}  // namespace api
