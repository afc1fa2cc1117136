// Evaluates a filter against a rendered resource in memory: for value filters in PATCH paths
// and for filter terms no index answers. Case-insensitive where the schema says caseExact is
// false, using the one folding rule.
#pragma once

#include "Filter.h"
#include "scim/ResourceSchema.h"

#include <Poco/JSON/Object.h>

namespace scim::filter {

// Throws ScimError 400 invalidFilter for an attribute the schema does not define.
bool matches(const NodePtr& filter, const Poco::JSON::Object::Ptr& resource,
             const ResourceSchema& schema);

// Checks every attribute path in `filter` against `schema` (unknown: 400 invalidFilter),
// without evaluating anything.
void validate(const NodePtr& filter, const ResourceSchema& schema);

// Whether one element of a multi-valued complex attribute matches the value filter `filter`
// (the inside of emails[...]), for PATCH value paths.
bool elementMatches(const NodePtr& filter, const Poco::JSON::Object::Ptr& element,
                    const ResolvedPath& attribute, const ResourceSchema& schema);

// Whether `path` names an attribute every resource has outside its schema: id, externalId,
// schemas and meta.* (RFC 7643 §3.1).
bool isCommonPath(const AttrPath& path);

// Whether a list may sort by `path`: a common attribute or one of `schema`'s.
bool sortable(const AttrPath& path, const ResourceSchema& schema);

// `path` without the URN of `schema`'s core where it qualifies a common attribute:
// "urn:ietf:params:scim:schemas:core:2.0:Group:meta.created" is meta.created (clients that
// qualify every path send it so).
AttrPath unqualifiedCommon(AttrPath path, const ResourceSchema& schema);

// What a resource sorts by for sortBy `path` (RFC 7644 §3.4.2.3): the primary, else the first,
// value of a multi-valued attribute; folded unless caseExact. Resources without a value sort
// after all others in ascending order.
std::string sortKey(const AttrPath& path, const Poco::JSON::Object::Ptr& resource,
                    const ResourceSchema& schema);

}  // namespace scim::filter
