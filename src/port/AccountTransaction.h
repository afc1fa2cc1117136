// What TIM's account rules and use cases (src/tim) read and change inside a write transaction
// the store has opened (port/AccountTransactions.h): committed or rolled back as one.
#pragma once

#include "port/AuditLog.h"
#include "port/GroupStore.h"

#include <Poco/Nullable.h>
#include <Poco/Types.h>

#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace port {

// What the role catalogue says of a role a role group names.
enum class RoleStanding { Unknown, Internal, Grantable };

// A role that a role group a user is a member of names.
struct RoleOffer {
    std::string userId;
    std::string role;  // folded
    RoleStanding standing = RoleStanding::Unknown;
};

// A role group's role and what the catalogue says of it.
struct GroupRole {
    std::string groupId;
    std::string role;  // folded
    RoleStanding standing = RoleStanding::Unknown;
};

// A role SCIM granted a user through a role group: (user id, folded role).
using RoleGrant = std::pair<std::string, std::string>;

enum class AccountKind { User, Group };

// One row of a group's membership.
struct Membership {
    std::string groupId;
    std::string memberId;
    AccountKind memberKind = AccountKind::User;
};

// An account a create just wrote.
struct CreatedAccount {
    AccountKind kind = AccountKind::User;
    std::string id;
    Poco::Nullable<std::string> externalId;
    std::string nameKey;  // the folded userName or displayName
};

// One role as the configuration listed it, and the standing TIM's catalogue gave it before the
// configuration first listed it (none: the role was not in the catalogue).
struct RoleListing {
    std::string key;  // folded
    bool internal = false;
    std::optional<bool> prior;
};

// A group's columns as a write sets them.
struct GroupRow {
    std::string displayName;
    std::string displayNameKey;  // folded
    Poco::Nullable<std::string> externalId;
    Poco::Nullable<std::string> roleKey;  // the role it grants, folded; null when none
    Poco::JSON::Object::Ptr doc;          // what SCIM shows of it, without members
};

// The group that holds a displayName, and whether SCIM manages it (false: TIM's own).
struct NamedGroup {
    std::string id;
    bool managed = false;
};

// What a group's membership changes did.
struct AppliedMemberChanges {
    std::vector<std::string> touched;  // ids whose membership may have changed
    std::vector<std::string> ignored;  // ids of no user or group here
    bool changed = false;              // the membership is not what it was
};

class AccountTransaction {
  public:
    virtual ~AccountTransaction() = default;

    // The accounts among these that are out of SCIM's reach (system identities, unmanaged
    // holders of a protected role): SCIM never grants or revokes their roles.
    virtual std::set<std::string> outOfReach(const std::vector<std::string>& accountIds) = 0;

    // The roles the role groups these users are members of name.
    virtual std::vector<RoleOffer> roleOffers(const std::vector<std::string>& userIds) = 0;

    // The direct members (users and groups) of these groups.
    virtual std::vector<Membership> membersOf(const std::vector<std::string>& groupIds) = 0;

    // The groups these accounts (users or groups) are direct members of.
    virtual std::vector<Membership> groupsOf(const std::vector<std::string>& memberIds) = 0;

    // The roles the role groups among these groups name.
    virtual std::vector<GroupRole> groupRoles(const std::vector<std::string>& groupIds) = 0;

    // The roles role groups grant these users now (TIM's own grants are not among them).
    virtual std::set<RoleGrant> scimGrants(const std::vector<std::string>& userIds) = 0;

    // Writes these grants and revocations of SCIM's roles, with one audit row each.
    virtual void changeGrants(const std::set<RoleGrant>& grants,
                              const std::set<RoleGrant>& revocations) = 0;

    // The newest snapshot that a deletion in TIM took of an account of `created`'s kind with
    // its externalId (which must be set) at or after `notBeforeMs`, consumed: a user's groups
    // or a group's members. nullopt when there is none.
    virtual std::optional<std::vector<std::string>> takeSnapshot(const CreatedAccount& created,
                                                                 Poco::Int64 notBeforeMs) = 0;

    // Adds `memberIds` that exist to group `groupId`; returns how many are members now.
    virtual std::size_t addMembers(const std::string& groupId,
                                   const std::vector<std::string>& memberIds) = 0;

    // Adds user `userId` to the groups among `groupIds` that exist; returns how many.
    virtual std::size_t joinGroups(const std::string& userId,
                                   const std::vector<std::string>& groupIds) = 0;

    // The roles the configuration listed when the catalogue was last applied.
    virtual std::vector<RoleListing> roleListings() = 0;
    virtual void addRoleListing(const RoleListing& listing) = 0;
    virtual void changeRoleListing(const std::string& key, bool internal) = 0;
    virtual void removeRoleListing(const std::string& key) = 0;

    // TIM's role catalogue: whether a role is internal (never granted by SCIM); none when the
    // catalogue does not have it.
    virtual std::optional<bool> catalogueStanding(const std::string& key) = 0;
    // Adds the role, or sets its standing when the catalogue has it.
    virtual void setCatalogueRole(const std::string& key, const std::string& name,
                                  bool internal) = 0;
    // Sets the standing of a role the catalogue has; nothing when it has not.
    virtual void setCatalogueStanding(const std::string& key, bool internal) = 0;
    virtual void removeCatalogueRole(const std::string& key) = 0;

    // Whose grants a catalogue change may move, sorted: the members of role groups (groups
    // among them lead to the users below) and the holders of roles SCIM granted.
    virtual std::vector<std::string> roleGrantHolders() = 0;

    // The group, locked until the transaction ends; nullopt when there is none.
    virtual std::optional<GroupRecord> lockGroup(const std::string& id) = 0;
    // The group holding this folded displayName, locked; nullopt when none does.
    virtual std::optional<NamedGroup> lockGroupNamed(const std::string& displayNameKey) = 0;
    // The group as this transaction left it (it must exist).
    virtual GroupRecord readGroup(const std::string& id) = 0;
    // `managed`: false for a group TIM keeps for itself. Throws Conflict (uniqueness) when
    // another group holds the displayName, and the document's limits' errors.
    virtual void insertGroup(const std::string& id, const GroupRow& row, bool managed) = 0;
    // Writes the group's row and document, a new version; SCIM manages it from now on.
    // Throws as insertGroup.
    virtual void updateGroup(const std::string& id, const GroupRow& row) = 0;
    // Applies `changes` in order; members out of SCIM's reach are never removed.
    virtual AppliedMemberChanges changeMembers(const std::string& groupId,
                                               const std::vector<MemberChange>& changes) = 0;
    // Moves the memberships of accounts out of SCIM's reach from one group id to another;
    // returns how many.
    virtual std::size_t moveOutOfReachMembers(const std::string& fromGroupId,
                                              const std::string& toGroupId) = 0;
    // Deletes the group for good with its memberships either way (as a group and as a
    // member); returns its former members.
    virtual std::vector<std::string> deleteGroup(const std::string& groupId) = 0;
    // Keeps what a deletion in TIM took from an account (a user's groups, a group's members)
    // for its re-creation (takeSnapshot).
    virtual void saveSnapshot(const CreatedAccount& deleted,
                              const std::vector<std::string>& ids) = 0;
    // One row of the provisioning audit, under the current request's id.
    virtual void recordAudit(const AuditEvent& event) = 0;

    // Marks that outlive the transaction: work owed until a later one clears it.
    virtual bool hasMark(const std::string& name) = 0;
    virtual void setMark(const std::string& name) = 0;
    virtual void clearMark(const std::string& name) = 0;
};

}  // namespace port
