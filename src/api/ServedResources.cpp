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
    if (!scim::sameName(endpoint.type().schema, schema.core().id) ||
        declared.size() != schema.extensions().size()) {
        return false;
    }
    return std::all_of(declared.begin(), declared.end(), [&](const auto& extension) {
        return schema.extension(extension.schema) != nullptr;
    });
}

void addSchema(std::vector<const scim::SchemaDef*>& schemas, const scim::SchemaDef* schema) {
    if (std::find(schemas.begin(), schemas.end(), schema) == schemas.end()) {
        schemas.push_back(schema);
    }
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
        if (find(collectionOf(type)) != &row) {
            throw std::invalid_argument("Two resource types are served at " + type.endpoint);
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
