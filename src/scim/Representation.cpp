#include "Representation.h"

#include "Json.h"
#include "ScimError.h"
#include "Values.h"

#include <Poco/JSON/Array.h>
#include <Poco/String.h>

#include <set>

namespace scim {
namespace {

using json::isArray;
using json::isObject;
using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

bool isServerManaged(const std::string& key) {
    return sameName(key, "schemas") || sameName(key, "id") || sameName(key, "meta");
}

// `in` without schemas, id and meta, which the server alone sets.
Object::Ptr withoutServerManaged(const Object::Ptr& in) {
    Object::Ptr out = new Object;
    for (const auto& member : *in) {
        if (!isServerManaged(member.first)) {
            out->set(member.first, member.second);
        }
    }
    return out;
}

bool looksLikeUrn(const std::string& key) {
    return Poco::icompare(key.substr(0, 4), "urn:") == 0 ||
           Poco::icompare(key.substr(0, 5), "http:") == 0 ||
           Poco::icompare(key.substr(0, 6), "https:") == 0;
}

// At most one primary value (RFC 7643 §2.4); several values of one type are allowed (two work
// emails are ordinary).
void checkMultiValued(const Array::Ptr& values, const std::string& path) {
    int primaries = 0;
    for (std::size_t i = 0; i < values->size(); ++i) {
        const Var element = values->get(static_cast<unsigned>(i));
        if (!isObject(element)) {
            continue;
        }
        const auto object = element.extract<Object::Ptr>();
        if (object->has("primary") && object->get("primary").isBoolean() &&
            object->getValue<bool>("primary")) {
            ++primaries;
        }
    }
    if (primaries > 1) {
        throw badRequest("invalidValue", path + " has more than one primary value");
    }
}

// The attributes that name or identify a resource: no control characters in any of them.
void checkIdentifiers(const Object::Ptr& doc) {
    for (const char* name : {"userName", "displayName", "externalId"}) {
        if (doc->has(name) && doc->get(name).isString()) {
            checkIdentifierText(doc->getValue<std::string>(name), name);
        }
    }
}

void normaliseMembers(const Object::Ptr& in, const SchemaDef& schema, Object::Ptr out,
                      const std::string& prefix, std::optional<std::string>& password);

}  // namespace

Var normaliseAttribute(const AttributeDef& def, const Var& value, const std::string& path) {
    if (def.multiValued) {
        Array::Ptr in;
        if (isArray(value)) {
            in = value.extract<Array::Ptr>();
        } else {
            in = new Array;
            in->add(value);
        }
        Array::Ptr out = new Array;
        for (std::size_t i = 0; i < in->size(); ++i) {
            const Var element = in->get(static_cast<unsigned>(i));
            if (!isClearingValue(element)) {
                out->add(normaliseValue(def, element, path));
            }
        }
        checkMultiValued(out, path);
        return out;
    }
    if (def.type == AttrType::Complex && def.subAttribute("value") != nullptr) {
        if (value.isString()) {
            Object::Ptr wrapped = new Object;
            wrapped->set("value", value);
            return normaliseValue(def, wrapped, path);
        }
        if (isArray(value) && value.extract<Array::Ptr>()->size() == 1) {
            return normaliseValue(def, value.extract<Array::Ptr>()->get(0), path);
        }
    }
    return normaliseValue(def, value, path);
}

namespace {

void normaliseMembers(const Object::Ptr& in, const SchemaDef& schema, Object::Ptr out,
                      const std::string& prefix, std::optional<std::string>& password) {
    for (const auto& member : *in) {
        const AttributeDef* def = schema.attribute(member.first);
        if (def == nullptr) {
            out->set(member.first, member.second);  // not ours: kept as sent
            continue;
        }
        if (def->mutability == Mutability::ReadOnly || isClearingValue(member.second)) {
            continue;
        }
        const std::string path = prefix + def->name;
        if (def->mutability == Mutability::WriteOnly) {
            if (!member.second.isString()) {
                throw badRequest("invalidValue", path + " must be a string");
            }
            password = member.second.extract<std::string>();
            continue;
        }
        const Var normalised = normaliseAttribute(*def, member.second, path);
        if (!(isArray(normalised) && normalised.extract<Array::Ptr>()->size() == 0)) {
            out->set(def->name, normalised);
        }
    }
}

}  // namespace

NormalisedResource normaliseResource(const Object::Ptr& body, const ResourceSchema& schema) {
    if (!body) {
        throw badRequest("invalidSyntax", "The request body must be a JSON object");
    }
    if (body->has("schemas") && !isArray(body->get("schemas"))) {
        throw badRequest("invalidSyntax", "schemas must be an array of schema URIs");
    }
    NormalisedResource result;
    result.doc = new Object;
    Object::Ptr core = new Object;
    for (const auto& member : *body) {
        const std::string& key = member.first;
        if (isServerManaged(key)) {
            continue;
        }
        if (&schema.core() == schema.schema(key)) {
            // The core schema's attributes under its URN (RFC 7644 §3.10): as if unqualified.
            if (!isObject(member.second)) {
                throw badRequest("invalidSyntax", key + " must be an object");
            }
            normaliseMembers(withoutServerManaged(member.second.extract<Object::Ptr>()),
                             schema.core(), result.doc, "", result.password);
        } else if (const SchemaDef* ext = schema.extension(key)) {
            if (!isObject(member.second)) {
                throw badRequest("invalidSyntax", key + " must be an object");
            }
            Object::Ptr out = new Object;
            normaliseMembers(member.second.extract<Object::Ptr>(), *ext, out, ext->id + ":",
                             result.password);
            if (out->size() > 0) {
                result.doc->set(ext->id, out);
            }
        } else if (looksLikeUrn(key)) {
            // "urn:...:enterprise:2.0:User:department" or "urn:...:core:2.0:User:password" at
            // the top level, or an unknown extension.
            const auto colon = key.rfind(':');
            const SchemaDef* owner = schema.schema(key.substr(0, colon));
            if (owner == &schema.core()) {
                Object::Ptr single = new Object;
                single->set(key.substr(colon + 1), member.second);
                normaliseMembers(withoutServerManaged(single), schema.core(), result.doc, "",
                                 result.password);
            } else if (owner != nullptr) {
                Object::Ptr single = new Object;
                single->set(key.substr(colon + 1), member.second);
                Object::Ptr out = result.doc->has(owner->id) ? result.doc->getObject(owner->id)
                                                             : Object::Ptr(new Object);
                normaliseMembers(single, *owner, out, owner->id + ":", result.password);
                if (out->size() > 0) {
                    result.doc->set(owner->id, out);
                }
            } else {
                result.doc->set(key, member.second);
            }
        } else {
            Object::Ptr single = new Object;
            single->set(key, member.second);
            normaliseMembers(single, schema.core(), result.doc, "", result.password);
        }
    }
    checkRequired(result.doc, schema);
    checkIdentifiers(result.doc);
    return result;
}

void checkRequired(const Object::Ptr& doc, const ResourceSchema& schema) {
    for (const auto& def : schema.core().attributes) {
        if (!def.required) {
            continue;
        }
        const Var value = doc->has(def.name) ? doc->get(def.name) : Var();
        const bool blank = value.isString() && Poco::trim(value.extract<std::string>()).empty();
        if (value.isEmpty() || isClearingValue(value) || blank) {
            throw badRequest("invalidValue", def.name + " is required and cannot be blank");
        }
    }
}

Object::Ptr renderResource(const Object::Ptr& doc, const std::string& id, const Meta& meta,
                           const ResourceSchema& schema) {
    Object::Ptr resource = new Object;
    Array::Ptr schemas = new Array;
    schemas->add(schema.core().id);
    for (const auto& member : *doc) {
        if (looksLikeUrn(member.first) && isObject(member.second)) {
            schemas->add(member.first);
        }
    }
    resource->set("schemas", schemas);
    resource->set("id", id);
    for (const auto& member : *doc) {
        resource->set(member.first, member.second);
    }
    Object::Ptr m = new Object;
    m->set("resourceType", meta.resourceType);
    m->set("created", meta.created);
    m->set("lastModified", meta.lastModified);
    m->set("location", meta.location);
    m->set("version", meta.version);
    resource->set("meta", m);
    return resource;
}

namespace {

// "password", "<urn>:password" or "<urn>.password", in any case, spaces around, a value
// filter after: every spelling the parsers of attribute names and PATCH paths accept.
bool namesPassword(const std::string& name) {
    const std::string path = Poco::toLower(Poco::trim(name.substr(0, name.find('['))));
    static const std::string kName = "password";
    if (path.size() < kName.size() ||
        path.compare(path.size() - kName.size(), kName.size(), kName) != 0) {
        return false;
    }
    const std::string before = Poco::trim(path.substr(0, path.size() - kName.size()));
    return before.empty() || before.back() == ':' || before.back() == '.';
}

}  // namespace

bool mentionsPassword(const Poco::Dynamic::Var& body) {
    if (body.type() == typeid(Poco::JSON::Array::Ptr)) {
        for (const auto& element : *body.extract<Poco::JSON::Array::Ptr>()) {
            if (mentionsPassword(element)) {
                return true;
            }
        }
        return false;
    }
    if (body.type() != typeid(Poco::JSON::Object::Ptr)) {
        return false;
    }
    for (const auto& member : *body.extract<Poco::JSON::Object::Ptr>()) {
        const bool pathToPassword = Poco::icompare(member.first, "path") == 0 &&
                                    member.second.isString() &&
                                    namesPassword(member.second.toString());
        if (namesPassword(member.first) || pathToPassword || mentionsPassword(member.second)) {
            return true;
        }
    }
    return false;
}

}  // namespace scim
