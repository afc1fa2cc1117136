#include "UserFilterSql.h"

#include "scim/ResourceSchema.h"
#include "scim/UserSchemas.h"

#include <Poco/String.h>

namespace store {
namespace {

using scim::filter::AttrPath;
using scim::filter::CompareOp;
using scim::filter::Literal;
using scim::filter::Node;
using scim::filter::NodePtr;

// The allow-list: the only attributes whose filters become SQL.
std::optional<Column> columnFor(const AttrPath& path) {
    const auto& schema = scim::userResourceSchema();
    if (path.schema.empty() && path.subAttribute.empty()) {
        if (scim::sameName(path.attribute, "id")) {
            return Column{"u.id", ColumnKind::ExactText, true};
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
        return Column{"u.user_name_key", ColumnKind::FoldedText, true};
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
// emails[type eq "work" and value <op> "x"] (either order), Entra's email matching.
std::optional<SqlCondition> workEmailCondition(const Node& node) {
    const auto& schema = scim::userResourceSchema();
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
    auto condition = textCondition(Column{"u.work_email_key", ColumnKind::FoldedText}, *value);
    if (condition) {
        // The column holds one work email; a user with several is a candidate for the
        // evaluator (rare: the flag's index keeps the OR cheap).
        condition->sql = "(" + condition->sql + " OR u.several_work_emails = 1)";
        condition->exact = false;
    }
    return condition;
}

}  // namespace

const ColumnMap& userColumns() {
    static const ColumnMap columns{columnFor, workEmailCondition};
    return columns;
}

}  // namespace store
