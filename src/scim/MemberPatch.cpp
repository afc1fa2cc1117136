#include "MemberPatch.h"

#include "GroupSchemas.h"
#include "Json.h"
#include "ScimError.h"
#include "Values.h"
#include "filter/Evaluator.h"

#include <Poco/JSON/Array.h>

namespace scim {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

bool onMembers(const PatchOperation& op) {
    return op.path && op.path->attribute.schema.empty() &&
           sameName(op.path->attribute.attribute, "members");
}

// members[value eq "a" or value eq "b"]: the ids it names, or nullopt for other filters.
std::optional<std::vector<std::string>> namedMembers(const filter::NodePtr& node) {
    using filter::Node;
    if (node->kind == Node::Kind::Or) {
        auto left = namedMembers(node->left);
        auto right = namedMembers(node->right);
        if (!left || !right) {
            return std::nullopt;
        }
        left->insert(left->end(), right->begin(), right->end());
        return left;
    }
    if (node->kind == Node::Kind::Compare && node->op == filter::CompareOp::Eq &&
        node->path.schema.empty() && node->path.subAttribute.empty() &&
        sameName(node->path.attribute, "value") &&
        node->value.kind == filter::Literal::Kind::String) {
        return std::vector<std::string>{node->value.text};
    }
    return std::nullopt;
}

}  // namespace

std::vector<std::string> memberIdsOf(const Var& value) {
    std::vector<std::string> ids;
    Array::Ptr array;
    if (json::isArray(value)) {
        array = value.extract<Array::Ptr>();
    } else {
        array = new Array;
        if (!value.isEmpty()) {
            array->add(value);
        }
    }
    for (std::size_t i = 0; i < array->size(); ++i) {
        const Var element = array->get(static_cast<unsigned>(i));
        // A bare string is read as the member's id, as some clients send it.
        const Var id = json::isObject(element)
                           ? json::memberOf(*element.extract<Object::Ptr>(), "value")
                           : element;
        if (!id.isString() || id.extract<std::string>().empty()) {
            throw badRequest("invalidValue",
                             "every member is an object with a value (the member's id), or the "
                             "id itself");
        }
        checkIdentifierText(id.extract<std::string>(), "A member's value");
        ids.push_back(id.extract<std::string>());
    }
    return ids;
}

std::size_t GroupPatch::memberValues() const {
    std::size_t values = 0;
    for (const auto& edit : memberEdits) {
        values += edit.ids.size();
    }
    return values;
}

GroupPatch splitGroupPatch(const std::vector<PatchOperation>& operations) {
    using Kind = MemberEdit::Kind;
    GroupPatch patch;
    auto& edits = patch.memberEdits;
    for (const auto& op : operations) {
        if (!op.path && json::isObject(op.value)) {
            // A path-less value may carry members next to other attributes.
            Object::Ptr rest = new Object(*op.value.extract<Object::Ptr>());
            const std::string key = json::keyOf(*rest, "members");
            if (!key.empty()) {
                edits.push_back({op.op == PatchOpKind::Add ? Kind::Add : Kind::ReplaceAll,
                                 memberIdsOf(rest->get(key)), nullptr});
                rest->remove(key);
            }
            if (rest->size() > 0) {
                patch.documentOps.push_back(PatchOperation{op.op, std::nullopt, rest});
            }
        } else if (!onMembers(op)) {
            patch.documentOps.push_back(op);
        } else if (op.path->valueFilter) {
            // members[value eq "id"]: Entra's removal with aadOptscim062020.
            if (op.op != PatchOpKind::Remove) {
                throw badRequest("invalidPath",
                                 "members are added and replaced by value, not by filter");
            }
            if (auto ids = namedMembers(op.path->valueFilter)) {
                edits.push_back({Kind::Remove, std::move(*ids), nullptr});
            } else {
                edits.push_back({Kind::RemoveMatching, {}, op.path->valueFilter});
            }
        } else if (op.op == PatchOpKind::Remove) {
            // With a value list only those go (Entra's default); without one, all.
            edits.push_back(op.value.isEmpty()
                                ? MemberEdit{Kind::RemoveAll, {}, nullptr}
                                : MemberEdit{Kind::Remove, memberIdsOf(op.value), nullptr});
        } else {
            edits.push_back({op.op == PatchOpKind::Add ? Kind::Add : Kind::ReplaceAll,
                             memberIdsOf(op.value), nullptr});
        }
    }
    return patch;
}

bool memberMatches(const filter::NodePtr& filter, const std::string& id, const std::string& type,
                   const std::string& display) {
    static const auto members = groupResourceSchema().resolve(filter::AttrPath{"", "members", ""});
    Object::Ptr element = new Object;
    element->set("value", id);
    element->set("type", type);
    element->set("display", display);
    return filter::elementMatches(filter, element, *members, groupResourceSchema());
}

}  // namespace scim
