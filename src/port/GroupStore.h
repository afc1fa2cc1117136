// The groups SCIM provisions, their members (one row each) and the static roles role.<name>
// groups grant, as the api sees them: every request's change is one transaction.
#pragma once

#include "port/ResourceQuery.h"
#include "scim/MemberPatch.h"

#include <Poco/JSON/Object.h>
#include <Poco/Types.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace port {

struct GroupMember {
    std::string id;
    std::string type;     // "User" or "Group"
    std::string display;  // userName or group displayName
};

struct GroupRecord {
    std::string id;
    Poco::JSON::Object::Ptr doc;  // normalised, without members
    Poco::Int64 version = 1;
    Poco::Int64 createdMs = 0;
    Poco::Int64 modifiedMs = 0;
    // The members SCIM shows, when a list read them with the group (GroupReads::query).
    std::optional<std::vector<GroupMember>> members;
};

// A change to a group's membership. Changes apply in order, inside the write's transaction.
struct MemberChange {
    // The protocol's edits (scim/MemberPatch.h); RemoveMatching removes the members `matches`
    // picks, as the group has them at that point.
    using Kind = scim::MemberEdit::Kind;
    Kind kind = Kind::Add;
    std::vector<std::string> ids;
    std::function<bool(const GroupMember&)> matches = nullptr;  // RemoveMatching only
};

struct GroupWriteResult {
    GroupRecord record;
    bool bound = false;
    std::string restored;                     // what the restore after a TIM deletion did
    std::vector<std::string> ignoredMembers;  // ids that are neither users nor groups
};

using GroupQuery = ResourceQuery;
using GroupPage = Page<GroupRecord>;

// Renders a group for filters no column answers, with its members when the record has them.
using RenderGroup = std::function<Poco::JSON::Object::Ptr(const GroupRecord&)>;

// Maps the stored group (its document, id, version and times) to the new document, or throws;
// an empty function leaves the document as it is.
using ChangeGroup = std::function<Poco::JSON::Object::Ptr(const GroupRecord&)>;

// A role of TIM's catalogue and the userNames of its holders (any source), sorted.
struct CataloguedRole {
    std::string name;
    bool internal = false;
    std::vector<std::string> holders;
};

// What the api reads of groups, as the store keeps them.
class GroupReads {
  public:
    virtual ~GroupReads() = default;

    virtual std::optional<GroupRecord> find(const std::string& id) = 0;
    virtual std::vector<GroupMember> members(const std::string& groupId) = 0;

    // `withMembers`: the page's records carry their members (read in a number of statements
    // that does not grow with the page). Scanned records carry them when the filter names
    // members.
    virtual GroupPage query(const GroupQuery& query, bool withMembers,
                            const RenderGroup& render) = 0;

    // The role catalogue, by name.
    virtual std::vector<CataloguedRole> roleCatalogue() = 0;

    // Whether SCIM may grant `roleName` (known to TIM and not internal).
    virtual bool rolesCatalogued(const std::string& roleName) = 0;
};

// The groups as the api changes them: TIM's use cases (tim/GroupService.h), each one
// transaction.
class GroupStore : public GroupReads {
  public:
    // Creates the group, or binds to a group TIM created itself (unmanaged) with the same
    // displayName (guide FAQ 4). `members`: the member ids sent, if any. Throws Conflict.
    virtual GroupWriteResult createOrBind(
        const Poco::JSON::Object::Ptr& doc,
        const std::optional<std::vector<std::string>>& members) = 0;

    // PUT: the document and the whole membership. Throws NotFound, Conflict, VersionMismatch.
    virtual GroupWriteResult replace(const std::string& id, const Poco::JSON::Object::Ptr& doc,
                                     const std::vector<std::string>& members,
                                     std::optional<Poco::Int64> expectedVersion) = 0;

    // PATCH: `change` maps the document, `changes` edit the membership.
    virtual GroupWriteResult patch(const std::string& id, const ChangeGroup& change,
                                   const std::vector<MemberChange>& changes,
                                   std::optional<Poco::Int64> expectedVersion) = 0;

    // Deletes the group and its memberships and recomputes the roles it granted.
    virtual bool remove(const std::string& id, std::optional<Poco::Int64> expectedVersion) = 0;
};

}  // namespace port
