// What TIM's account rules and use cases (src/tim) read and change inside a write transaction
// the store has opened (port/AccountTransactions.h): committed or rolled back as one.
#pragma once

#include "port/AccountMatch.h"
#include "port/AuditLog.h"
#include "port/Credentials.h"
#include "port/Documents.h"
#include "port/GroupStore.h"
#include "port/UserColumns.h"
#include "port/UserStore.h"

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
    std::string text;                     // `doc` as stored (port/Documents.h)
};

// A group locked for a write, with the columns TIM's own groups have whatever their document.
struct LockedGroup {
    GroupRecord record;
    Poco::Nullable<std::string> externalId;
    std::string displayNameKey;  // folded
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

// A user's row as a write sets it: the columns its document determines, and the document.
struct UserRow {
    UserColumns columns;
    Poco::JSON::Object::Ptr doc;
    std::string text;  // `doc` as stored (port/Documents.h)
};

// What an update of a user changes besides its row.
struct UserWrite {
    Poco::Int64 version = 0;  // the version read: the update needs it unchanged
    PasswordChange password;
    bool revive = false;  // a user SCIM deleted comes back
};

// A user in SCIM's reach, locked for a write.
struct LockedUser {
    Poco::Int64 version = 0;
    bool managed = true;  // false: TIM's own account, which a write binds
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
    virtual std::optional<LockedGroup> lockGroup(const std::string& id) = 0;
    // The group holding this folded displayName, locked; nullopt when none does.
    virtual std::optional<NamedGroup> lockGroupNamed(const std::string& displayNameKey) = 0;
    // The group as this transaction left it (it must exist).
    virtual GroupRecord readGroup(const std::string& id) = 0;
    // `managed`: false for a group TIM keeps for itself. Throws Conflict (uniqueness) when
    // another group holds the displayName, and the document's limits' errors.
    virtual void insertGroup(const std::string& id, const GroupRow& row, bool managed) = 0;
    // Writes the group's row and document, a new version; SCIM manages it from now on.
    // Returns the modified time it wrote (ms). Throws as insertGroup.
    virtual Poco::Int64 updateGroup(const std::string& id, const GroupRow& row) = 0;
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

    // The accounts a create of `columns` may collide with: the userName's holder first, then
    // unmanaged persons with its TIM email. Read without range locks (lockCandidate locks one).
    virtual std::vector<AccountCandidate> userCandidates(const UserColumns& columns) = 0;
    // Locks the account a decision names; the run starts again when it changed since it was
    // found.
    virtual void lockCandidate(const AccountCandidate& candidate) = 0;
    // Erases a deleted user for good (its userName is reused), audited with `why`.
    virtual void eraseUser(const std::string& id, const Poco::Nullable<std::string>& externalId,
                           const std::string& why) = 0;
    // `byScim`: SCIM creates it (managed, created by SCIM), else TIM's own. Returns when it was
    // created (epoch ms, as the record's times). Throws Conflict when the userName is taken.
    virtual Poco::Int64 insertUser(const std::string& id, const UserRow& row,
                                   const PasswordChange& password, bool byScim) = 0;
    // Writes the row when the user still has `write.version`; the user is managed from now on.
    // False when the version moved. Throws Conflict when the userName is taken.
    virtual bool updateUser(const std::string& id, const UserRow& row, const UserWrite& write) = 0;
    // The user in SCIM's reach, locked; nullopt when there is none.
    virtual std::optional<LockedUser> lockUser(const std::string& id) = 0;
    // What the credential rule reads of the user; its roles stay as read until the end.
    virtual CredentialStanding credentialStanding(const std::string& id) = 0;
    // Throws Conflict when an account other than `id` holds the userName of `columns`.
    virtual void refuseTakenUserName(const UserColumns& columns, const std::string& id) = 0;
    // The user (in reach or not) with its roles and its manager, as this transaction left it.
    virtual UserRecord readUser(const std::string& id) = 0;
    // Sets `record.manager` when its document names one.
    virtual void readManager(UserRecord& record) = 0;
    // Hides the user from SCIM (the purge takes it later); returns its externalId.
    virtual Poco::Nullable<std::string> markUserDeleted(const std::string& id) = 0;
    // Grants the user a role as TIM's own UI does (source tim).
    virtual void grantTimRole(const std::string& userId, const std::string& roleKey) = 0;

    // Nothing this run did is to be kept: it ends in a rollback, not a commit (a check that only
    // read, a write that found nothing to do; on a cluster a commit is a replicated write).
    virtual void discard() = 0;

    // Marks that outlive the transaction: work owed until a later one clears it.
    virtual bool hasMark(const std::string& name) = 0;
    virtual void setMark(const std::string& name) = 0;
    virtual void clearMark(const std::string& name) = 0;
};

}  // namespace port
