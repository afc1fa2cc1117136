#include "UserFilterSql.h"

#include "scim/CaseFold.h"
#include "scim/ScimError.h"
#include "scim/UserSchemas.h"
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

enum class ColumnKind { FoldedText, ExactText, Boolean, Time };

struct Column {
    const char* name;
    ColumnKind kind;
};

// The allow-list: the only attributes whose filters become SQL.
std::optional<Column> columnFor(const AttrPath& path, const scim::ResourceSchema& schema) {
    if (path.schema.empty() && path.subAttribute.empty()) {
        if (scim::sameName(path.attribute, "id")) {
            return Column{"u.id", ColumnKind::ExactText};
        }
        if (scim::sameName(path.attribute, "externalId")) {
            return Column{"u.external_id", ColumnKind::ExactText};
        }
    }
    if (path.schema.empty() && scim::sameName(path.attribute, "meta")) {
        if (scim::sameName(path.subAttribute, "created")) {
            return Column{"u.created_ms", ColumnKind::Time};
        }
        if (scim::sameName(path.subAttribute, "lastModified")) {
            return Column{"u.modified_ms", ColumnKind::Time};
        }
        return std::nullopt;
    }
    const auto resolved = schema.resolve(path);
    if (!resolved) {
        return std::nullopt;
    }
    const std::string& urn = resolved->schema->id;
    const std::string& name = resolved->attribute->name;
    const std::string sub = resolved->subAttribute ? resolved->subAttribute->name : "";
    if (urn == scim::kUserSchema && name == "userName") {
        return Column{"u.user_name_key", ColumnKind::FoldedText};
    }
    if (urn == scim::kUserSchema && name == "active") {
        return Column{"u.active", ColumnKind::Boolean};
    }
    if (urn == scim::kTimUserEmailSchema && name == "email") {
        return Column{"u.email_key", ColumnKind::FoldedText};
    }
    if (urn == scim::kEnterpriseUserSchema && name == "manager" &&
        (sub.empty() || sub == "value")) {
        return Column{"u.manager_id", ColumnKind::ExactText};
    }
    return std::nullopt;
}

// '!' escapes: a backslash means different things in MySQL and SQLite string literals.
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
    return SqlParam{false, std::move(value), 0};
}
SqlParam number(Poco::Int64 value) {
    return SqlParam{true, "", value};
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
            return SqlCondition{col + " " + sqlOperator(node.op) + " ?", {text(value)}};
    }
}

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
        throw scim::badRequest("invalidFilter", node.path.text() + " compares with a date-time");
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

// emails[type eq "work" and value <op> "x"] (either order), Entra's email matching.
std::optional<SqlCondition> workEmailCondition(const Node& node,
                                               const scim::ResourceSchema& schema) {
    const auto resolved = schema.resolve(node.path);
    if (!resolved || resolved->schema->id != scim::kUserSchema ||
        resolved->attribute->name != "emails" || node.left->kind != Node::Kind::And) {
        return std::nullopt;
    }
    auto isWorkType = [](const NodePtr& n) {
        return n->kind == Node::Kind::Compare && n->op == CompareOp::Eq && n->path.schema.empty() &&
               n->path.subAttribute.empty() && scim::sameName(n->path.attribute, "type") &&
               n->value.kind == Literal::Kind::String && Poco::icompare(n->value.text, "work") == 0;
    };
    auto isValue = [](const NodePtr& n) {
        return n->kind == Node::Kind::Compare && n->path.schema.empty() &&
               n->path.subAttribute.empty() && scim::sameName(n->path.attribute, "value");
    };
    NodePtr value;
    if (isWorkType(node.left->left) && isValue(node.left->right)) {
        value = node.left->right;
    } else if (isWorkType(node.left->right) && isValue(node.left->left)) {
        value = node.left->left;
    } else {
        return std::nullopt;
    }
    return textCondition(Column{"u.work_email_key", ColumnKind::FoldedText}, *value);
}

std::optional<SqlCondition> translate(const NodePtr& node, const scim::ResourceSchema& schema) {
    switch (node->kind) {
        case Node::Kind::And:
        case Node::Kind::Or: {
            const auto left = translate(node->left, schema);
            const auto right = translate(node->right, schema);
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
            return workEmailCondition(*node, schema);
        case Node::Kind::Compare: {
            const auto column = columnFor(node->path, schema);
            if (!column) {
                return std::nullopt;
            }
            switch (column->kind) {
                case ColumnKind::Boolean:
                    return booleanCondition(*column, *node);
                case ColumnKind::Time:
                    return timeCondition(*column, *node);
                default:
                    return textCondition(*column, *node);
            }
        }
    }
    return std::nullopt;
}

void split(const NodePtr& node, const scim::ResourceSchema& schema, FilterPlan& plan) {
    if (node->kind == Node::Kind::And) {
        split(node->left, schema, plan);
        split(node->right, schema, plan);
        return;
    }
    if (auto condition = translate(node, schema)) {
        plan.conditions.push_back(std::move(*condition));
    } else {
        plan.residue.push_back(node);
    }
}

}  // namespace

FilterPlan planUserFilter(const NodePtr& filter, const scim::ResourceSchema& schema) {
    FilterPlan plan;
    if (filter) {
        split(filter, schema, plan);
    }
    return plan;
}

std::optional<std::string> userSortColumn(const std::string& sortBy,
                                          const scim::ResourceSchema& schema) {
    const auto path = scim::filter::parseAttrPath(sortBy, "invalidValue");
    const auto column = columnFor(path, schema);
    if (column) {
        return std::string(column->name);
    }
    if (!schema.resolve(path)) {
        throw scim::badRequest("invalidValue", "Cannot sort by unknown attribute " + sortBy);
    }
    return std::nullopt;
}

}  // namespace store
