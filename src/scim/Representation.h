// A resource as clients send and receive it, and as it is stored: the normalised document
// holds the client's attributes only (canonical names, extension attributes under their URN,
// readOnly and server-managed members removed); id, meta and schemas are added on the way out.
#pragma once

#include "ResourceSchema.h"

#include <Poco/JSON/Object.h>

#include <optional>
#include <string>

namespace scim {

struct NormalisedResource {
    Poco::JSON::Object::Ptr doc;
    std::optional<std::string> password;  // writeOnly: never part of doc
};

// Validates and normalises a POST/PUT body. Unknown attributes and unknown extension URNs
// are kept as sent; null and "" clear; booleans such as "False" are coerced; a complex
// single-valued attribute given as a string or a one-element array (Entra's manager shapes)
// becomes {"value": ...}. Throws ScimError 400 (invalidSyntax, invalidValue).
NormalisedResource normaliseResource(const Poco::JSON::Object::Ptr& body,
                                     const ResourceSchema& schema);

// Normalises one attribute's value for `path` (also used by PATCH).
// Whether a request body may carry a password, in any form a client can send one: a member
// named "password" or "<urn>:password" at any depth, or a PATCH path naming one. It errs on
// the side of yes: what bounds the cost of hashing may count too many, never too few.
bool mentionsPassword(const Poco::Dynamic::Var& body);

Poco::Dynamic::Var normaliseAttribute(const AttributeDef& def, const Poco::Dynamic::Var& value,
                                      const std::string& path);

// Checks the rules a whole document must satisfy: required attributes present.
void checkRequired(const Poco::JSON::Object::Ptr& doc, const ResourceSchema& schema);

struct Meta {
    std::string resourceType;
    std::string created;       // xsd:dateTime
    std::string lastModified;  // xsd:dateTime
    std::string location;
    std::string version;  // W/"<n>"
};

// The full resource: schemas (core, then each extension URN present), id, the document's
// attributes, meta.
Poco::JSON::Object::Ptr renderResource(const Poco::JSON::Object::Ptr& doc, const std::string& id,
                                       const Meta& meta, const ResourceSchema& schema);

}  // namespace scim
