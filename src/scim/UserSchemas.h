// The User resource's schemas: core User (RFC 7643 §4.1), the enterprise extension (§4.3) and
// TIM's two extensions as the product guide names them.
#pragma once

#include "Schema.h"

#include <Poco/JSON/Object.h>

#include <optional>
#include <string>

namespace scim {

inline constexpr const char* kUserSchema = "urn:ietf:params:scim:schemas:core:2.0:User";
inline constexpr const char* kEnterpriseUserSchema =
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
// tim:1.0 carries the user's TIM email (the guide maps Entra's `mail` to it).
inline constexpr const char* kTimUserEmailSchema =
    "urn:ietf:params:scim:schemas:extension:tim:1.0:User";
// tim:2.0 carries the vendor and the user's effective static TIM roles.
inline constexpr const char* kTimUserSchema = "urn:ietf:params:scim:schemas:extension:tim:2.0:User";

const SchemaDef& userSchema();
const SchemaDef& enterpriseUserSchema();
const SchemaDef& timUserEmailSchema();
const SchemaDef& timUserSchema();

const ResourceTypeDef& userResourceType();

// The id a normalised User document names as its manager (enterprise manager.value), if any.
std::optional<std::string> managerIdOf(const Poco::JSON::Object::Ptr& doc);

}  // namespace scim
