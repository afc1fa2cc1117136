#include "FilterSql.h"

#include "port/StoreErrors.h"
#include "scim/CaseFold.h"
#include "scim/Values.h"

#include <Poco/DateTimeParser.h>
#include <Poco/String.h>

namespace store {
namespace {

using scim::filter::AttrPath;
using scim::filter::CompareOp;
using scim::filter::Literal;
using scim::filter::Node;
using scim::filter::NodePtr;

std::string likePattern(const std::string& value, CompareOp op) {
    std::string escaped;
    for (char c : value) {
        if (c == '%' || c == '_' || c == '!') {
            escaped += '!';
        }
        escaped += c;
    }
    return (op == CompareOp::Sw ? "" : "%") + escaped + (op == CompareOp::Ew ? "" : "%");
}

SqlParam text(std::string value) {
    return textParam(std::move(value));
}
SqlParam number(Poco::Int64 value) {
    return numberParam(value);
}

const char* sqlOperator(CompareOp op) {
    switch (op) {
        case CompareOp::Eq:
            return "=";
        case CompareOp::Gt:
            return ">";
        case CompareOp::Ge:
            return ">=";
        case CompareOp::Lt:
            return "<";
        case CompareOp::Le:
            return "<=";
        default:
            return nullptr;
    }
}

}  // namespace

std::optional<SqlCondition> textCondition(const Column& column, const Node& node) {
    const std::string col = column.name;
    if (node.op == CompareOp::Pr) {
        return SqlCondition{"(" + col + " IS NOT NULL AND " + col + " <> '')", {}};
    }
    if (node.value.kind == Literal::Kind::Null) {
        if (node.op == CompareOp::Eq || node.op == CompareOp::Ne) {
            return SqlCondition{col + (node.op == CompareOp::Eq ? " IS NULL" : " IS NOT NULL"), {}};
        }
        return std::nullopt;
    }
    if (node.value.kind != Literal::Kind::String) {
        return std::nullopt;  // the evaluator decides what a type mismatch means
    }
    const std::string value =
        column.kind == ColumnKind::FoldedText ? scim::foldCase(node.value.text) : node.value.text;
    switch (node.op) {
        case CompareOp::Ne:
            return SqlCondition{"(" + col + " IS NULL OR " + col + " <> ?)", {text(value)}};
        case CompareOp::Co:
        case CompareOp::Sw:
        case CompareOp::Ew:
            return SqlCondition{col + " LIKE ? ESCAPE '!'", {text(likePattern(value, node.op))}};
        default:
            return SqlCondition{col + " " + sqlOperator(node.op) + " ?",
                                {text(value)},
                                column.unique && node.op == CompareOp::Eq};
    }
}

namespace {

std::optional<SqlCondition> booleanCondition(const Column& column, const Node& node) {
    if (node.op == CompareOp::Pr) {
        return SqlCondition{"1 = 1", {}};
    }
    if (node.op != CompareOp::Eq && node.op != CompareOp::Ne) {
        return std::nullopt;
    }
    std::optional<bool> value;
    if (node.value.kind == Literal::Kind::Boolean) {
        value = node.value.boolean;
    } else if (node.value.kind == Literal::Kind::String) {
        value = scim::coerceBoolean(Poco::Dynamic::Var(node.value.text));
    }
    if (!value) {
        return std::nullopt;
    }
    return SqlCondition{std::string(column.name) + (node.op == CompareOp::Eq ? " = ?" : " <> ?"),
                        {number(*value ? 1 : 0)}};
}

std::optional<SqlCondition> timeCondition(const Column& column, const Node& node) {
    if (node.op == CompareOp::Pr) {
        return SqlCondition{"1 = 1", {}};
    }
    Poco::DateTime parsed;
    int tzd = 0;
    if (node.value.kind != Literal::Kind::String ||
        !Poco::DateTimeParser::tryParse(node.value.text, parsed, tzd)) {
        throw port::InvalidQuery(port::InvalidQuery::Kind::Filter,
                                 node.path.text() + " compares with a date-time");
    }
    parsed.makeUTC(tzd);
    const Poco::Int64 ms = parsed.timestamp().epochMicroseconds() / 1000;
    if (node.op == CompareOp::Ne) {
        return SqlCondition{std::string(column.name) + " <> ?", {number(ms)}};
    }
    const char* op = sqlOperator(node.op);
    if (op == nullptr) {
        return std::nullopt;
    }
    return SqlCondition{std::string(column.name) + " " + op + " ?", {number(ms)}};
}

std::optional<SqlCondition> translate(const NodePtr& node, const ColumnMap& columns) {
    switch (node->kind) {
        case Node::Kind::And:
        case Node::Kind::Or: {
            const auto left = translate(node->left, columns);
            const auto right = translate(node->right, columns);
            if (!left || !right) {
                return std::nullopt;
            }
            SqlCondition both{"(" + left->sql + (node->kind == Node::Kind::And ? " AND " : " OR ") +
                                  right->sql + ")",
                              left->params};
            both.params.insert(both.params.end(), right->params.begin(), right->params.end());
            return both;
        }
        case Node::Kind::Not:
            return std::nullopt;  // SQL NULL logic differs from SCIM's
        case Node::Kind::ValuePath:
            return columns.valuePath ? columns.valuePath(*node) : std::nullopt;
        case Node::Kind::Compare: {
            const auto column = columns.column(node->path);
            if (!column) {
                return std::nullopt;
            }
            switch (column->kind) {
                case ColumnKind::Boolean:
                    return booleanCondition(*column, *node);
                case ColumnKind::Time:
                    return timeCondition(*column, *node);
                case ColumnKind::Membership:
                    if (node->op == CompareOp::Eq && node->value.kind == Literal::Kind::String) {
                        return SqlCondition{column->name, {text(node->value.text)}};
                    }
                    return std::nullopt;
                default:
                    return textCondition(*column, *node);
            }
        }
    }
    return std::nullopt;
}

void split(const NodePtr& node, const ColumnMap& columns, FilterPlan& plan) {
    if (node->kind == Node::Kind::And) {
        split(node->left, columns, plan);
        split(node->right, columns, plan);
        return;
    }
    if (auto condition = translate(node, columns)) {
        if (!condition->exact) {
            plan.residue.push_back(node);
        }
        plan.conditions.push_back(std::move(*condition));
    } else {
        plan.residue.push_back(node);
    }
}

}  // namespace

FilterPlan planFilter(const NodePtr& filter, const ColumnMap& columns) {
    FilterPlan plan;
    if (filter) {
        split(filter, columns, plan);
    }
    return plan;
}

std::optional<std::string> sortColumn(const scim::filter::AttrPath& sortBy,
                                      const ColumnMap& columns) {
    const auto column = columns.column(sortBy);
    if (column && column->kind != ColumnKind::Membership) {
        return column->name;
    }
    return std::nullopt;
}

}  // namespace store
