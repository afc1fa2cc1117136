#include "Evaluator.h"

#include "scim/CaseFold.h"
#include "scim/Json.h"
#include "scim/ScimError.h"
#include "scim/Values.h"

#include <Poco/JSON/Array.h>

#include <vector>

namespace scim::filter {
namespace {

using json::isArray;
using json::isObject;
using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

// meta.* is common to every resource and not part of any schema (RFC 7643 §3.1).
bool isMetaPath(const AttrPath& path) {
    return path.schema.empty() && sameName(path.attribute, "meta") &&
           (sameName(path.subAttribute, "created") || sameName(path.subAttribute, "lastModified") ||
            sameName(path.subAttribute, "resourceType") ||
            sameName(path.subAttribute, "location") || sameName(path.subAttribute, "version"));
}

}  // namespace

// id, externalId, schemas (RFC 7644 §3.4.2.2 filters on it in its own example) and meta.*.
bool isCommonPath(const AttrPath& path) {
    return isMetaPath(path) ||
           (path.schema.empty() && path.subAttribute.empty() &&
            (sameName(path.attribute, "id") || sameName(path.attribute, "externalId") ||
             sameName(path.attribute, "schemas")));
}

bool sortable(const AttrPath& path, const ResourceSchema& schema) {
    return isCommonPath(path) || schema.resolve(path).has_value();
}

AttrPath unqualifiedCommon(AttrPath path, const ResourceSchema& schema) {
    if (!sameName(path.schema, schema.core().id)) {
        return path;
    }
    AttrPath bare = path;
    bare.schema.clear();
    return isCommonPath(bare) ? bare : path;
}

namespace {

ScimError unknownAttribute(const AttrPath& path) {
    return badRequest("invalidFilter", "Unknown attribute in filter: " + path.text());
}

Var member(const Object::Ptr& object, const std::string& name) {
    return json::memberOf(*object, name);
}

// Every value the path reaches (a multi-valued attribute yields each element's value).
void collect(const Var& value, const std::string& sub, std::vector<Var>& out) {
    if (value.isEmpty()) {
        return;
    }
    if (isArray(value)) {
        const auto array = value.extract<Array::Ptr>();
        for (std::size_t i = 0; i < array->size(); ++i) {
            collect(array->get(static_cast<unsigned>(i)), sub, out);
        }
        return;
    }
    if (sub.empty()) {
        // A complex value compared as a whole compares its "value" sub-attribute.
        if (isObject(value)) {
            collect(member(value.extract<Object::Ptr>(), "value"), "", out);
            return;
        }
        out.push_back(value);
        return;
    }
    if (isObject(value)) {
        collect(member(value.extract<Object::Ptr>(), sub), "", out);
    }
}

struct Target {
    Var value;                           // what the path reaches in the resource
    std::string sub;                     // sub-attribute still to descend into
    const AttributeDef* leaf = nullptr;  // nullptr for common attributes
};

Target locate(const AttrPath& path, const Object::Ptr& resource, const ResourceSchema& schema) {
    Target target;
    if (isCommonPath(path)) {
        target.value = member(resource, path.attribute);
        target.sub = path.subAttribute;
        return target;
    }
    const auto resolved = schema.resolve(path);
    if (!resolved) {
        throw unknownAttribute(path);
    }
    Object::Ptr container = resource;
    if (resolved->isExtension(schema.core().id)) {
        const Var ext = member(resource, resolved->schema->id);
        if (!isObject(ext)) {
            return target;
        }
        container = ext.extract<Object::Ptr>();
    }
    target.value = member(container, resolved->attribute->name);
    target.sub = resolved->subAttribute ? resolved->subAttribute->name : "";
    target.leaf = &resolved->leaf();
    return target;
}

bool caseExact(const AttributeDef* leaf, const AttrPath& path) {
    if (leaf != nullptr) {
        return leaf->caseExact;
    }
    return sameName(path.attribute, "id") || sameName(path.attribute, "externalId");
}

bool compareOne(const Var& actual, CompareOp op, const Literal& literal, bool exact) {
    if (literal.kind == Literal::Kind::Boolean) {
        const auto b = coerceBoolean(actual);
        if (!b) {
            return op == CompareOp::Ne;
        }
        return op == CompareOp::Eq ? *b == literal.boolean
                                   : op == CompareOp::Ne && *b != literal.boolean;
    }
    if (literal.kind == Literal::Kind::Number) {
        if (!actual.isNumeric()) {
            return op == CompareOp::Ne;
        }
        const double a = actual.convert<double>();
        switch (op) {
            case CompareOp::Eq:
                return a == literal.number;
            case CompareOp::Ne:
                return a != literal.number;
            case CompareOp::Gt:
                return a > literal.number;
            case CompareOp::Ge:
                return a >= literal.number;
            case CompareOp::Lt:
                return a < literal.number;
            case CompareOp::Le:
                return a <= literal.number;
            default:
                return false;
        }
    }
    if (!actual.isString()) {
        return op == CompareOp::Ne;
    }
    const std::string a =
        exact ? actual.extract<std::string>() : foldCase(actual.extract<std::string>());
    const std::string b = exact ? literal.text : foldCase(literal.text);
    switch (op) {
        case CompareOp::Eq:
            return a == b;
        case CompareOp::Ne:
            return a != b;
        case CompareOp::Co:
            return a.find(b) != std::string::npos;
        case CompareOp::Sw:
            return a.compare(0, b.size(), b) == 0;
        case CompareOp::Ew:
            return a.size() >= b.size() && a.compare(a.size() - b.size(), b.size(), b) == 0;
        case CompareOp::Gt:
            return a > b;
        case CompareOp::Ge:
            return a >= b;
        case CompareOp::Lt:
            return a < b;
        case CompareOp::Le:
            return a <= b;
        case CompareOp::Pr:
            return true;
    }
    return false;
}

bool evaluateCompare(const Node& node, const Target& target) {
    std::vector<Var> values;
    collect(target.value, target.sub, values);
    if (node.op == CompareOp::Pr) {
        for (const auto& v : values) {
            if (!isClearingValue(v)) {
                return true;
            }
        }
        return false;
    }
    if (node.value.kind == Literal::Kind::Null) {
        const bool absent = values.empty();
        return node.op == CompareOp::Eq ? absent : node.op == CompareOp::Ne && !absent;
    }
    const bool exact = caseExact(target.leaf, node.path);
    if (node.op == CompareOp::Ne) {  // not equal to every value (absent counts as not equal)
        for (const auto& v : values) {
            if (!compareOne(v, CompareOp::Ne, node.value, exact)) {
                return false;
            }
        }
        return true;
    }
    for (const auto& v : values) {
        if (compareOne(v, node.op, node.value, exact)) {
            return true;
        }
    }
    return false;
}

bool evaluate(const NodePtr& node, const Object::Ptr& resource, const ResourceSchema& schema);

bool evaluateValuePath(const Node& node, const Object::Ptr& resource,
                       const ResourceSchema& schema) {
    const auto resolved = schema.resolve(node.path);
    if (!resolved || resolved->subAttribute || resolved->attribute->type != AttrType::Complex) {
        throw badRequest("invalidFilter", node.path.text() + " cannot take a value filter");
    }
    const Target target = locate(node.path, resource, schema);
    std::vector<Object::Ptr> elements;
    if (isArray(target.value)) {
        const auto array = target.value.extract<Array::Ptr>();
        for (std::size_t i = 0; i < array->size(); ++i) {
            if (isObject(array->get(static_cast<unsigned>(i)))) {
                elements.push_back(array->getObject(static_cast<unsigned>(i)));
            }
        }
    } else if (isObject(target.value)) {
        elements.push_back(target.value.extract<Object::Ptr>());
    }
    for (const auto& element : elements) {
        if (elementMatches(node.left, element, *resolved, schema)) {
            return true;
        }
    }
    return false;
}

bool evaluate(const NodePtr& node, const Object::Ptr& resource, const ResourceSchema& schema) {
    switch (node->kind) {
        case Node::Kind::And:
            return evaluate(node->left, resource, schema) &&
                   evaluate(node->right, resource, schema);
        case Node::Kind::Or:
            return evaluate(node->left, resource, schema) ||
                   evaluate(node->right, resource, schema);
        case Node::Kind::Not:
            return !evaluate(node->left, resource, schema);
        case Node::Kind::ValuePath:
            return evaluateValuePath(*node, resource, schema);
        case Node::Kind::Compare:
            return evaluateCompare(*node, locate(node->path, resource, schema));
    }
    return false;
}

// RFC 7644 §3.4.2.2: gt, ge, lt and le on a boolean or binary attribute are invalidFilter
// (they have no order), not an empty answer.
void refuseOrdering(const Node& node, const AttributeDef& leaf) {
    const bool ordering = node.op == CompareOp::Gt || node.op == CompareOp::Ge ||
                          node.op == CompareOp::Lt || node.op == CompareOp::Le;
    if (ordering && (leaf.type == AttrType::Boolean || leaf.type == AttrType::Binary)) {
        throw badRequest("invalidFilter",
                         node.path.text() + " is " +
                             (leaf.type == AttrType::Boolean ? "a boolean" : "binary") + ": " +
                             toString(node.op) + " does not apply to it");
    }
}

void validateWithin(const NodePtr& node, const ResolvedPath* within, const ResourceSchema& schema) {
    switch (node->kind) {
        case Node::Kind::And:
        case Node::Kind::Or:
            validateWithin(node->left, within, schema);
            validateWithin(node->right, within, schema);
            return;
        case Node::Kind::Not:
            validateWithin(node->left, within, schema);
            return;
        case Node::Kind::ValuePath: {
            const auto resolved = schema.resolve(node->path);
            if (within != nullptr || !resolved || resolved->attribute->type != AttrType::Complex) {
                throw badRequest("invalidFilter",
                                 node->path.text() + " cannot take a value filter");
            }
            validateWithin(node->left, &*resolved, schema);
            return;
        }
        case Node::Kind::Compare: {
            if (isCommonPath(node->path) && within == nullptr) {
                return;
            }
            const auto resolved = within != nullptr ? schema.resolveWithin(*within, node->path)
                                                    : schema.resolve(node->path);
            if (!resolved) {
                throw unknownAttribute(node->path);
            }
            refuseOrdering(*node, resolved->leaf());
            return;
        }
    }
}

}  // namespace

bool elementMatches(const NodePtr& filter, const Object::Ptr& element,
                    const ResolvedPath& attribute, const ResourceSchema& schema) {
    switch (filter->kind) {
        case Node::Kind::And:
            return elementMatches(filter->left, element, attribute, schema) &&
                   elementMatches(filter->right, element, attribute, schema);
        case Node::Kind::Or:
            return elementMatches(filter->left, element, attribute, schema) ||
                   elementMatches(filter->right, element, attribute, schema);
        case Node::Kind::Not:
            return !elementMatches(filter->left, element, attribute, schema);
        case Node::Kind::ValuePath:
            throw badRequest("invalidFilter", "value filters cannot be nested");
        case Node::Kind::Compare: {
            const auto sub = schema.resolveWithin(attribute, filter->path);
            if (!sub) {
                throw unknownAttribute(filter->path);
            }
            Target target;
            target.value = member(element, sub->subAttribute->name);
            target.leaf = sub->subAttribute;
            return evaluateCompare(*filter, target);
        }
    }
    return false;
}

std::string sortKey(const AttrPath& path, const Object::Ptr& resource,
                    const ResourceSchema& schema) {
    const Target target = locate(path, resource, schema);
    Var chosen = target.value;
    if (isArray(chosen)) {
        const auto array = chosen.extract<Array::Ptr>();
        chosen = array->size() > 0 ? array->get(0) : Var();
        for (std::size_t i = 0; i < array->size(); ++i) {
            const Var element = array->get(static_cast<unsigned>(i));
            if (isObject(element) &&
                coerceBoolean(member(element.extract<Object::Ptr>(), "primary")).value_or(false)) {
                chosen = element;
            }
        }
    }
    std::vector<Var> values;
    collect(chosen, target.sub, values);
    if (values.empty() || isClearingValue(values.front())) {
        return "1";
    }
    const std::string text = values.front().convert<std::string>();
    return "0" + (caseExact(target.leaf, path) ? text : foldCase(text));
}

bool matches(const NodePtr& filter, const Object::Ptr& resource, const ResourceSchema& schema) {
    return evaluate(filter, resource, schema);
}

void validate(const NodePtr& filter, const ResourceSchema& schema) {
    validateWithin(filter, nullptr, schema);
}

}  // namespace scim::filter
