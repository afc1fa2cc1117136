// Turns a filter into SQL over tim_user where an indexed column answers it, through an
// allow-list of attributes and bound parameters only; what no column answers is left to the
// in-memory evaluator, never dropped (dropping would widen the result).
#pragma once

#include "scim/ResourceSchema.h"
#include "scim/filter/Filter.h"

#include <Poco/Types.h>

#include <optional>
#include <string>
#include <vector>

namespace store {

struct SqlParam {
    bool isNumber = false;
    std::string text;
    Poco::Int64 number = 0;
};

struct SqlCondition {
    std::string sql;
    std::vector<SqlParam> params;
};

struct FilterPlan {
    std::vector<SqlCondition> conditions;        // AND-ed in SQL
    std::vector<scim::filter::NodePtr> residue;  // AND-ed, evaluated in memory
};

// Splits the top-level conjunction of `filter` into SQL conditions and residue.
FilterPlan planUserFilter(const scim::filter::NodePtr& filter, const scim::ResourceSchema& schema);

// The column a sortBy attribute orders by, or nullopt when only the document has it.
std::optional<std::string> userSortColumn(const std::string& sortBy,
                                          const scim::ResourceSchema& schema);

}  // namespace store
