#include "ResourceSchema.h"

#include "UserSchemas.h"

namespace scim {

const SchemaDef* ResourceSchema::extension(const std::string& urn) const {
    for (const auto* ext : _extensions) {
        if (sameName(ext->id, urn)) {
            return ext;
        }
    }
    return nullptr;
}

const SchemaDef* ResourceSchema::schema(const std::string& urn) const {
    return sameName(_core.id, urn) ? &_core : extension(urn);
}

std::optional<ResolvedPath> ResourceSchema::resolve(const filter::AttrPath& path) const {
    filter::AttrPath p = path;
    // "urn:...:2.0:User.manager" was split as schema "urn:...:2.0", attribute "User".
    if (!p.schema.empty() && schema(p.schema) == nullptr &&
        schema(p.schema + ":" + p.attribute) != nullptr && !p.subAttribute.empty()) {
        p.schema += ":" + p.attribute;
        const auto dot = p.subAttribute.find('.');
        p.attribute = p.subAttribute.substr(0, dot);
        p.subAttribute = dot == std::string::npos ? "" : p.subAttribute.substr(dot + 1);
    }
    ResolvedPath resolved;
    resolved.schema = p.schema.empty() ? &_core : schema(p.schema);
    if (resolved.schema == nullptr) {
        return std::nullopt;
    }
    resolved.attribute = resolved.schema->attribute(p.attribute);
    if (resolved.attribute == nullptr && p.schema.empty()) {
        // An unqualified name that only an extension defines (Entra's legacy "manager").
        for (const auto* ext : _extensions) {
            if (const AttributeDef* def = ext->attribute(p.attribute)) {
                resolved.schema = ext;
                resolved.attribute = def;
                break;
            }
        }
    }
    if (resolved.attribute == nullptr) {
        return std::nullopt;
    }
    if (!p.subAttribute.empty()) {
        resolved.subAttribute = resolved.attribute->subAttribute(p.subAttribute);
        if (resolved.subAttribute == nullptr) {
            return std::nullopt;
        }
    }
    return resolved;
}

std::optional<ResolvedPath> ResourceSchema::resolveWithin(const ResolvedPath& relativeTo,
                                                          const filter::AttrPath& path) const {
    if (!path.schema.empty() || !path.subAttribute.empty() || relativeTo.subAttribute) {
        return std::nullopt;
    }
    const AttributeDef* sub = relativeTo.attribute->subAttribute(path.attribute);
    if (sub == nullptr) {
        return std::nullopt;
    }
    ResolvedPath resolved = relativeTo;
    resolved.subAttribute = sub;
    return resolved;
}

const ResourceSchema& userResourceSchema() {
    static const ResourceSchema schema(
        userSchema(), {&enterpriseUserSchema(), &timUserEmailSchema(), &timUserSchema()});
    return schema;
}

}  // namespace scim
