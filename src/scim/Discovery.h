// The discovery documents (RFC 7643 §5-7) and the ListResponse envelope (RFC 7644 §3.4.2).
#pragma once

#include "Schema.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

namespace scim {

inline constexpr const char* kSchemaSchema = "urn:ietf:params:scim:schemas:core:2.0:Schema";
inline constexpr const char* kResourceTypeSchema =
    "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
inline constexpr const char* kListResponseSchema =
    "urn:ietf:params:scim:api:messages:2.0:ListResponse";

// What this server serves: its resource types and every schema they use.
struct ResourceCatalog {
    std::vector<const ResourceTypeDef*> resourceTypes;
    std::vector<const SchemaDef*> schemas;

    const SchemaDef* schema(const std::string& urn) const;             // case-insensitive
    const ResourceTypeDef* resourceType(const std::string& id) const;  // case-insensitive
};

// `baseUrl` is the SCIM base ("https://host/tim/api/scim"), for meta.location.
Poco::JSON::Object::Ptr schemaDocument(const SchemaDef& schema, const std::string& baseUrl);
Poco::JSON::Object::Ptr resourceTypeDocument(const ResourceTypeDef& type,
                                             const std::string& baseUrl);

Poco::JSON::Object::Ptr listResponse(const Poco::JSON::Array::Ptr& resources,
                                     std::size_t totalResults, std::size_t startIndex);

// A ListResponse of cursor paging (RFC 9865): nextCursor and previousCursor when not "", and
// no startIndex.
Poco::JSON::Object::Ptr cursorListResponse(const Poco::JSON::Array::Ptr& resources,
                                           std::size_t totalResults, const std::string& nextCursor,
                                           const std::string& previousCursor);

}  // namespace scim
