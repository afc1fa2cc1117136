#include "Filter.h"

#include "scim/ScimError.h"

#include <Poco/String.h>

#include <cctype>

namespace scim::filter {

bool isAttrName(const std::string& name) {
    if (name.empty()) {
        return false;
    }
    if (name == "$ref") {
        return true;
    }
    if (!std::isalpha(static_cast<unsigned char>(name[0]))) {
        return false;
    }
    for (char c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') {
            return false;
        }
    }
    return true;
}

std::string AttrPath::text() const {
    std::string result = schema.empty() ? attribute : schema + ":" + attribute;
    return subAttribute.empty() ? result : result + "." + subAttribute;
}

AttrPath parseAttrPath(const std::string& text, const std::string& scimType) {
    AttrPath path;
    std::string rest = text;
    if (Poco::icompare(text.substr(0, 4), "urn:") == 0) {
        const auto colon = text.rfind(':');
        path.schema = text.substr(0, colon);
        rest = text.substr(colon + 1);
    }
    const auto dot = rest.find('.');
    path.attribute = rest.substr(0, dot);
    if (dot != std::string::npos) {
        path.subAttribute = rest.substr(dot + 1);
    }
    const bool valid =
        isAttrName(path.attribute) && (dot == std::string::npos || isAttrName(path.subAttribute)) &&
        (path.schema.empty() || path.schema.find_first_of(" \t\"[]()") == std::string::npos);
    if (!valid) {
        if (scimType.empty()) {
            return AttrPath{};
        }
        throw badRequest(scimType, "\"" + text + "\" is not an attribute path");
    }
    return path;
}

const char* toString(CompareOp op) {
    switch (op) {
        case CompareOp::Eq:
            return "eq";
        case CompareOp::Ne:
            return "ne";
        case CompareOp::Co:
            return "co";
        case CompareOp::Sw:
            return "sw";
        case CompareOp::Ew:
            return "ew";
        case CompareOp::Gt:
            return "gt";
        case CompareOp::Ge:
            return "ge";
        case CompareOp::Lt:
            return "lt";
        case CompareOp::Le:
            return "le";
        case CompareOp::Pr:
            return "pr";
    }
    return "eq";
}

namespace {

std::string literalText(const Literal& value) {
    switch (value.kind) {
        case Literal::Kind::String:
            return "\"" + value.text + "\"";
        case Literal::Kind::Number:
            return value.text;
        case Literal::Kind::Boolean:
            return value.boolean ? "true" : "false";
        case Literal::Kind::Null:
            return "null";
    }
    return "null";
}

}  // namespace

std::string describe(const NodePtr& node) {
    switch (node->kind) {
        case Node::Kind::Compare:
            return "(" + node->path.text() + " " + toString(node->op) +
                   (node->op == CompareOp::Pr ? "" : " " + literalText(node->value)) + ")";
        case Node::Kind::And:
            return "(" + describe(node->left) + " and " + describe(node->right) + ")";
        case Node::Kind::Or:
            return "(" + describe(node->left) + " or " + describe(node->right) + ")";
        case Node::Kind::Not:
            return "not" + describe(node->left);
        case Node::Kind::ValuePath:
            return node->path.text() + "[" + describe(node->left) + "]";
    }
    return "";
}

}  // namespace scim::filter
