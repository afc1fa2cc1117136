#include "ServedResources.h"

#include "scim/Schema.h"

#include <algorithm>
#include <stdexcept>

namespace api {
namespace {

// The type's extensions are exactly its schema's: what discovery shows is what the endpoint
// validates against.
bool describesItsSchema(const ResourceEndpoint& endpoint) {
    const auto& declared = endpoint.type().extensions;
    const auto& schema = endpoint.schema();
    const auto isDeclared = [&](const scim::SchemaDef* extension) {
        return std::any_of(declared.begin(), declared.end(), [&](const auto& reference) {
            return scim::sameName(reference.schema, extension->id);
        });
    };
    return scim::sameName(endpoint.type().schema, schema.core().id) &&
           declared.size() == schema.extensions().size() &&
           std::all_of(declared.begin(), declared.end(),
                       [&](const auto& reference) {
                           return schema.extension(reference.schema) != nullptr;
                       }) &&
           std::all_of(schema.extensions().begin(), schema.extensions().end(), isDeclared);
}

// "/Users": one segment below the base, so that a request's first segment finds it.
bool isOneSegment(const std::string& endpoint) {
    return endpoint.size() > 1 && endpoint[0] == '/' && endpoint.find('/', 1) == std::string::npos;
}

// Adds `schema` once; a different schema of the same URN is a contradiction.
void addSchema(std::vector<const scim::SchemaDef*>& schemas, const scim::SchemaDef* schema) {
    for (const auto* known : schemas) {
        if (known == schema) {
            return;
        }
        if (scim::sameName(known->id, schema->id)) {
            throw std::invalid_argument("Two schemas are served as " + schema->id);
        }
    }
    schemas.push_back(schema);
}

}  // namespace

std::string collectionOf(const scim::ResourceTypeDef& type) {
    return type.endpoint.substr(type.endpoint.rfind('/') + 1);
}

ServedResources::ServedResources(std::vector<ServedResource> rows) : _rows(std::move(rows)) {
    for (const auto& row : _rows) {
        if (row.endpoint == nullptr) {
            throw std::invalid_argument("A served resource type needs its endpoint");
        }
        const auto& type = row.endpoint->type();
        if (!isOneSegment(type.endpoint)) {
            throw std::invalid_argument("Resource type " + type.name +
                                        " needs an endpoint of one segment, not " + type.endpoint);
        }
        if (find(collectionOf(type)) != &row || _catalog.resourceType(type.id) != nullptr) {
            throw std::invalid_argument("Two resource types are served at " + type.endpoint +
                                        " or as " + type.id);
        }
        if (!describesItsSchema(*row.endpoint)) {
            throw std::invalid_argument("Resource type " + type.name +
                                        " names extensions its schema does not have");
        }
        _catalog.resourceTypes.push_back(&type);
        addSchema(_catalog.schemas, &row.endpoint->schema().core());
        for (const auto* extension : row.endpoint->schema().extensions()) {
            addSchema(_catalog.schemas, extension);
        }
    }
}

const ServedResource* ServedResources::find(const std::string& name) const {
    for (const auto& row : _rows) {
        if (scim::sameName(collectionOf(row.endpoint->type()), name)) {
            return &row;
        }
    }
    return nullptr;
}

}  // namespace api
