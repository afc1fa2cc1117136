// A group PATCH (RFC 7644 §3.5.2) as a group with members as rows needs it: the operations on
// the document, and the edits of the membership in their order. Pure; accepts what Entra sends
// in both of its modes (path-less values with members, removal by a value list, or by
// members[value eq "id"]) and any other member filter.
#pragma once

#include "Patch.h"
#include "filter/Filter.h"

#include <Poco/Dynamic/Var.h>

#include <cstddef>
#include <string>
#include <vector>

namespace scim {

struct MemberEdit {
    enum class Kind {
        Add,
        Remove,
        RemoveAll,
        ReplaceAll,
        RemoveMatching,  // the members `filter` picks, among those the group has at that point
    };
    Kind kind = Kind::Add;
    std::vector<std::string> ids;
    filter::NodePtr filter;  // RemoveMatching only: members[<filter>]
};

struct GroupPatch {
    std::vector<PatchOperation> documentOps;  // for applyPatch on the document
    std::vector<MemberEdit> memberEdits;      // in the order of the operations

    // The member values the edits name (a filter names none), for the request's limit.
    std::size_t memberValues() const;
};

// Splits the operations. Throws ScimError 400: invalidPath for an add or replace of members
// by filter, invalidValue for a member without an id.
GroupPatch splitGroupPatch(const std::vector<PatchOperation>& operations);

// Member ids from a members value: [{"value": id, ...}] (a single object also works), or bare
// ids ("id" or ["id", ...]), as some clients send them. Throws ScimError 400 invalidValue for
// an element without a usable id.
std::vector<std::string> memberIdsOf(const Poco::Dynamic::Var& value);

// Whether the member (id, "User" or "Group", its userName or displayName) matches a
// members[...] filter.
bool memberMatches(const filter::NodePtr& filter, const std::string& id, const std::string& type,
                   const std::string& display);

}  // namespace scim
