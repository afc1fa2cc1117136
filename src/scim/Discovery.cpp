#include "Discovery.h"

namespace scim {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Array::Ptr strings(const std::vector<std::string>& values) {
    Array::Ptr array = new Array;
    for (const auto& v : values) {
        array->add(v);
    }
    return array;
}

Object::Ptr attributeDocument(const AttributeDef& def) {
    Object::Ptr doc = new Object;
    doc->set("name", def.name);
    doc->set("type", toString(def.type));
    doc->set("multiValued", def.multiValued);
    doc->set("description", def.description);
    doc->set("required", def.required);
    if (def.type != AttrType::Complex && def.type != AttrType::Boolean) {
        doc->set("caseExact", def.caseExact);
    }
    doc->set("mutability", toString(def.mutability));
    doc->set("returned", toString(def.returned));
    doc->set("uniqueness", toString(def.uniqueness));
    if (!def.canonicalValues.empty()) {
        doc->set("canonicalValues", strings(def.canonicalValues));
    }
    if (!def.referenceTypes.empty()) {
        doc->set("referenceTypes", strings(def.referenceTypes));
    }
    if (!def.subAttributes.empty()) {
        Array::Ptr subs = new Array;
        for (const auto& sub : def.subAttributes) {
            subs->add(attributeDocument(sub));
        }
        doc->set("subAttributes", subs);
    }
    return doc;
}

Object::Ptr meta(const std::string& resourceType, const std::string& location) {
    Object::Ptr meta = new Object;
    meta->set("resourceType", resourceType);
    meta->set("location", location);
    return meta;
}

}  // namespace

const SchemaDef* ResourceCatalog::schema(const std::string& urn) const {
    for (const auto* s : schemas) {
        if (sameName(s->id, urn)) {
            return s;
        }
    }
    return nullptr;
}

const ResourceTypeDef* ResourceCatalog::resourceType(const std::string& id) const {
    for (const auto* t : resourceTypes) {
        if (sameName(t->id, id)) {
            return t;
        }
    }
    return nullptr;
}

Object::Ptr schemaDocument(const SchemaDef& schema, const std::string& baseUrl) {
    Object::Ptr doc = new Object;
    doc->set("schemas", strings({kSchemaSchema}));
    doc->set("id", schema.id);
    doc->set("name", schema.name);
    doc->set("description", schema.description);
    Array::Ptr attributes = new Array;
    for (const auto& def : schema.attributes) {
        attributes->add(attributeDocument(def));
    }
    doc->set("attributes", attributes);
    doc->set("meta", meta("Schema", baseUrl + "/Schemas/" + schema.id));
    return doc;
}

Object::Ptr resourceTypeDocument(const ResourceTypeDef& type, const std::string& baseUrl) {
    Object::Ptr doc = new Object;
    doc->set("schemas", strings({kResourceTypeSchema}));
    doc->set("id", type.id);
    doc->set("name", type.name);
    doc->set("endpoint", type.endpoint);
    doc->set("description", type.description);
    doc->set("schema", type.schema);
    Array::Ptr extensions = new Array;
    for (const auto& ext : type.extensions) {
        Object::Ptr e = new Object;
        e->set("schema", ext.schema);
        e->set("required", ext.required);
        extensions->add(e);
    }
    doc->set("schemaExtensions", extensions);
    doc->set("meta", meta("ResourceType", baseUrl + "/ResourceTypes/" + type.id));
    return doc;
}

Object::Ptr listResponse(const Array::Ptr& resources, std::size_t totalResults,
                         std::size_t startIndex) {
    Object::Ptr doc = cursorListResponse(resources, totalResults, "", "");
    doc->set("startIndex", static_cast<Poco::UInt64>(startIndex));
    return doc;
}

Object::Ptr cursorListResponse(const Array::Ptr& resources, std::size_t totalResults,
                               const std::string& nextCursor, const std::string& previousCursor) {
    Object::Ptr doc = new Object;
    doc->set("schemas", strings({kListResponseSchema}));
    doc->set("totalResults", static_cast<Poco::UInt64>(totalResults));
    doc->set("itemsPerPage", static_cast<Poco::UInt64>(resources->size()));
    if (!nextCursor.empty()) {
        doc->set("nextCursor", nextCursor);
    }
    if (!previousCursor.empty()) {
        doc->set("previousCursor", previousCursor);
    }
    doc->set("Resources", resources);
    return doc;
}

}  // namespace scim
