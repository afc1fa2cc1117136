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

// Whether `text` holds a C0 control character (U+0000-U+001F) or DEL (U+007F).
bool hasControlCharacter(const std::string& text);

// Names and identifiers (userName, displayName, externalId, ids) never hold control
// characters: "alice\u0000" next to "alice" is a forgery. Throws ScimError 400 invalidValue.
void checkIdentifierText(const std::string& text, const std::string& what);

}  // namespace scim
