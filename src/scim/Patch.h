// PATCH (RFC 7644 §3.5.2) as a pure function: (document, operations, schema) -> new document,
// computed on a copy, so a request applies every operation or none. Accepts what Entra sends
// in both of its modes: capitalised ops, "False" as a string, path-less values with dotted
// and URN-qualified keys, member removal by a value list, every manager shape.
#pragma once

#include "Representation.h"
#include "ResourceSchema.h"
#include "filter/Filter.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

namespace scim {

inline constexpr const char* kPatchOpSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

enum class PatchOpKind { Add, Replace, Remove };

// A PATCH path: attrPath, or attrPath[valueFilter] with an optional .subAttribute after it.
struct PatchPath {
    filter::AttrPath attribute;
    filter::NodePtr valueFilter;  // nullptr when none
    std::string subAttribute;     // after the filter: emails[type eq "work"].value
};

struct PatchOperation {
    PatchOpKind op = PatchOpKind::Add;
    std::optional<PatchPath> path;  // nullopt: path-less
    Poco::Dynamic::Var value;       // empty when absent
};

// Parses "emails[type eq \"work\"].value" and the like. Throws ScimError 400 invalidPath.
PatchPath parsePatchPath(const std::string& text);

// Parses a PatchOp request body. Throws ScimError 400 invalidSyntax (not an object, no or an
// empty Operations list, an unknown op) or invalidPath.
// More than `maxOperations` operations: 400 invalidValue.
std::vector<PatchOperation> parsePatchRequest(const Poco::JSON::Object::Ptr& body,
                                              std::size_t maxOperations);

// Applies the operations to a copy of `doc` (a normalised document) and returns the new
// document, normalised and checked as a whole (a password set by the patch comes back
// separately). Throws ScimError 400 (invalidPath, noTarget, invalidValue, mutability); `doc`
// is never modified. `rendered`: the resource as a client sees it (id, meta, schemas), whose
// server-managed values a value may repeat unchanged (RFC 7644 §3.5.2: a readOnly value equal
// to the current one is ignored; Okta sends the id); nullptr when not known.
NormalisedResource applyPatch(const Poco::JSON::Object::Ptr& doc,
                              const std::vector<PatchOperation>& operations,
                              const ResourceSchema& schema,
                              const Poco::JSON::Object::Ptr& rendered = nullptr);

}  // namespace scim
