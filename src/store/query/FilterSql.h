// Turns a filter into SQL where an indexed column answers it, through an allow-list of
// attributes (a ColumnMap per resource type) and bound parameters only; what no column
// answers is left to the in-memory evaluator, never dropped (dropping would widen the result).
#pragma once

#include "scim/ResourceSchema.h"
#include "scim/filter/Filter.h"

#include <Poco/Nullable.h>
#include <Poco/Types.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace store {

struct SqlParam {
    bool isNumber = false;
    std::string text;
    Poco::Int64 number = 0;
    bool isNull = false;               // binds `null` instead: SQL NULL for any column
    Poco::Nullable<std::string> null;  // never set
};

inline SqlParam textParam(std::string text) {
    return SqlParam{false, std::move(text), 0, false, {}};
}
inline SqlParam numberParam(Poco::Int64 number) {
    return SqlParam{true, "", number, false, {}};
}
inline SqlParam nullableTextParam(const Poco::Nullable<std::string>& value) {
    return value.isNull() ? SqlParam{false, "", 0, true, {}} : textParam(value.value());
}

struct SqlCondition {
    std::string sql;
    std::vector<SqlParam> params;
    bool atMostOneRow = false;  // equality on a unique column: no more than one row matches
    // false: the SQL only narrows the candidates (a superset of the matches), and the
    // evaluator decides on each.
    bool exact = true;
};

struct FilterPlan {
    std::vector<SqlCondition> conditions;        // AND-ed in SQL
    std::vector<scim::filter::NodePtr> residue;  // AND-ed, evaluated in memory
};

enum class ColumnKind {
    FoldedText,  // holds scim::foldCase of the value: case-insensitive attributes
    ExactText,
    Boolean,
    Time,        // epoch milliseconds
    Membership,  // `name` is an EXISTS(... = ?) condition on a child table
};

struct Column {
    std::string name;
    ColumnKind kind;
    bool unique = false;  // a unique index holds every row's value
};

// What one resource type's table answers: the column behind an attribute path (the
// allow-list), and optionally the value-path shapes it answers.
struct ColumnMap {
    std::function<std::optional<Column>(const scim::filter::AttrPath&)> column;
    std::function<std::optional<SqlCondition>(const scim::filter::Node&)> valuePath;
};

// Splits the top-level conjunction of `filter` into SQL conditions and residue.
FilterPlan planFilter(const scim::filter::NodePtr& filter, const ColumnMap& columns);

// The SQL for one comparison on a text column, or nullopt when the evaluator must decide.
std::optional<SqlCondition> textCondition(const Column& column, const scim::filter::Node& node);

// The column a sortBy attribute (one the schema has) orders by, or nullopt when only the
// document has it.
std::optional<std::string> sortColumn(const scim::filter::AttrPath& sortBy,
                                      const ColumnMap& columns);

}  // namespace store
