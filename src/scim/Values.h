// The value rules every write path shares: boolean coercion, clearing, and type checks
// against an attribute definition (RFC 7643 §2.3).
#pragma once

#include "Schema.h"

#include <Poco/Dynamic/Var.h>

#include <optional>
#include <string>

namespace scim {

// true/false, and the strings Entra sends: "True", "False", "true", "false" (any case).
std::optional<bool> coerceBoolean(const Poco::Dynamic::Var& value);

// null and "" clear an attribute.
bool isClearingValue(const Poco::Dynamic::Var& value);

// A single (not multi-valued) value checked and normalised for `def`: booleans coerced,
// complex values checked member by member (unknown members kept as sent, readOnly ones
// dropped). Throws ScimError 400 invalidValue naming `path`.
Poco::Dynamic::Var normaliseValue(const AttributeDef& def, const Poco::Dynamic::Var& value,
                                  const std::string& path);

}  // namespace scim
