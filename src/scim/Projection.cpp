#include "Projection.h"

#include "Json.h"

#include <Poco/JSON/Array.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>

namespace scim {
namespace {

using json::isArray;
using json::isObject;
using json::keyOf;
using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

std::vector<filter::AttrPath> parseList(const std::string& text) {
    std::vector<filter::AttrPath> paths;
    Poco::StringTokenizer tokens(
        text, ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
    for (const auto& token : tokens) {
        // A bare extension URN ("urn:...:enterprise:2.0:User") names the whole extension.
        if (Poco::icompare(token.substr(0, 4), "urn:") == 0 &&
            token.find('.', token.rfind(':')) == std::string::npos &&
            token.rfind(':') + 1 < token.size() &&
            std::isupper(static_cast<unsigned char>(token[token.rfind(':') + 1]))) {
            filter::AttrPath whole;
            whole.schema = token;
            paths.push_back(whole);
            continue;
        }
        paths.push_back(filter::parseAttrPath(token, "invalidValue"));
    }
    return paths;
}

// Where a path's attribute lives: the resource itself (core) or an extension object.
struct Location {
    Object::Ptr container;
    std::string key;  // actual key in container, "" if absent
};

Location locate(const Object::Ptr& resource, const filter::AttrPath& path,
                const ResourceSchema& schema) {
    Location where;
    const auto resolved = schema.resolve(path);
    std::string urn = path.schema;
    std::string attribute = path.attribute;
    if (resolved) {
        urn = resolved->isExtension(schema.core().id) ? resolved->schema->id : "";
        attribute = resolved->attribute->name;
    } else if (!urn.empty() && schema.schema(urn) == schema.schema(schema.core().id)) {
        urn.clear();
    }
    if (urn.empty() || sameName(urn, schema.core().id)) {
        where.container = resource;
    } else {
        const std::string extKey = keyOf(*resource, urn);
        if (extKey.empty() || !isObject(resource->get(extKey))) {
            return where;
        }
        where.container = resource->getObject(extKey);
    }
    where.key = keyOf(*where.container, attribute);
    return where;
}

// Keeps only sub-attribute `sub` of a complex or multi-valued complex value.
Var onlySub(const Var& value, const std::string& sub) {
    auto pick = [&](const Object::Ptr& in) {
        Object::Ptr out = new Object;
        const std::string key = keyOf(*in, sub);
        if (!key.empty()) {
            out->set(key, in->get(key));
        }
        return out;
    };
    if (isObject(value)) {
        return pick(value.extract<Object::Ptr>());
    }
    if (isArray(value)) {
        Array::Ptr out = new Array;
        const auto in = value.extract<Array::Ptr>();
        for (std::size_t i = 0; i < in->size(); ++i) {
            const Var element = in->get(static_cast<unsigned>(i));
            out->add(isObject(element) ? Var(pick(element.extract<Object::Ptr>())) : element);
        }
        return out;
    }
    return value;
}

Object::Ptr shallowCopy(const Object::Ptr& in) {
    Object::Ptr out = new Object;
    for (const auto& member : *in) {
        out->set(member.first, member.second);
    }
    return out;
}

void include(const Object::Ptr& from, Object::Ptr to, const filter::AttrPath& path,
             const ResourceSchema& schema) {
    if (path.attribute.empty()) {  // a whole extension
        const std::string key = keyOf(*from, path.schema);
        if (!key.empty()) {
            to->set(key, from->get(key));
        }
        return;
    }
    const Location source = locate(from, path, schema);
    if (!source.container || source.key.empty()) {
        return;
    }
    Object::Ptr target = to;
    if (source.container != from) {
        std::string extKey;
        for (const auto& member : *from) {
            if (isObject(member.second) &&
                member.second.extract<Object::Ptr>() == source.container) {
                extKey = member.first;
            }
        }
        if (!to->has(extKey)) {
            to->set(extKey, Object::Ptr(new Object));
        }
        target = to->getObject(extKey);
    }
    const Var value = source.container->get(source.key);
    if (path.subAttribute.empty()) {
        target->set(source.key, value);
        return;
    }
    Var picked = onlySub(value, path.subAttribute);
    if (target->has(source.key) && isObject(picked) && isObject(target->get(source.key))) {
        for (const auto& member : *picked.extract<Object::Ptr>()) {
            target->getObject(source.key)->set(member.first, member.second);
        }
        return;
    }
    target->set(source.key, picked);
}

void exclude(Object::Ptr resource, const filter::AttrPath& path, const ResourceSchema& schema) {
    if (path.attribute.empty()) {
        const std::string key = keyOf(*resource, path.schema);
        if (!key.empty()) {
            resource->remove(key);
        }
        return;
    }
    Location where = locate(resource, path, schema);
    if (!where.container || where.key.empty()) {
        return;
    }
    if (path.subAttribute.empty()) {
        where.container->remove(where.key);
        return;
    }
    const Var value = where.container->get(where.key);
    auto drop = [&](Object::Ptr object) {
        const std::string key = keyOf(*object, path.subAttribute);
        if (!key.empty()) {
            object->remove(key);
        }
    };
    if (isObject(value)) {
        drop(value.extract<Object::Ptr>());
    } else if (isArray(value)) {
        const auto array = value.extract<Array::Ptr>();
        for (std::size_t i = 0; i < array->size(); ++i) {
            const Var element = array->get(static_cast<unsigned>(i));
            if (isObject(element)) {
                drop(element.extract<Object::Ptr>());
            }
        }
    }
}

}  // namespace

Projection Projection::parse(const std::string& attributes, const std::string& excluded) {
    Projection projection;
    projection._attributes = parseList(attributes);
    projection._excluded = parseList(excluded);
    return projection;
}

bool Projection::includes(const std::string& attribute) const {
    for (const auto& path : _excluded) {
        if (path.schema.empty() && path.subAttribute.empty() &&
            sameName(path.attribute, attribute)) {
            return false;
        }
    }
    if (_attributes.empty()) {
        return true;
    }
    for (const auto& path : _attributes) {
        if (path.schema.empty() && sameName(path.attribute, attribute)) {
            return true;
        }
    }
    return false;
}

Object::Ptr Projection::apply(const Object::Ptr& resource, const ResourceSchema& schema) const {
    if (empty()) {
        return resource;
    }
    Object::Ptr out;
    if (!_attributes.empty()) {
        out = new Object;
        for (const char* always : {"schemas", "id"}) {
            if (resource->has(always)) {
                out->set(always, resource->get(always));
            }
        }
        for (const auto& path : _attributes) {
            include(resource, out, path, schema);
        }
    } else {
        out = shallowCopy(resource);
        for (const auto& member : *out) {
            if (isObject(member.second)) {  // copies, so removing never touches the original
                out->set(member.first, shallowCopy(member.second.extract<Object::Ptr>()));
            }
        }
        for (const auto& path : _excluded) {
            if (!sameName(path.attribute, "id") && !sameName(path.attribute, "schemas")) {
                exclude(out, path, schema);
            }
        }
    }
    return out;
}

}  // namespace scim
