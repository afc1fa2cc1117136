// The Group resource's schemas: core Group (RFC 7643 §4.2) and TIM's tim:2.0 Group extension.
#pragma once

#include "ResourceSchema.h"
#include "Schema.h"

namespace scim {

inline constexpr const char* kGroupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group";
inline constexpr const char* kTimGroupSchema =
    "urn:ietf:params:scim:schemas:extension:tim:2.0:Group";

const SchemaDef& groupSchema();
const SchemaDef& timGroupSchema();
const ResourceTypeDef& groupResourceType();

// The Group resource: core Group + tim:2.0 Group.
const ResourceSchema& groupResourceSchema();

}  // namespace scim
