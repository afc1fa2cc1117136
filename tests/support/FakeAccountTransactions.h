// port::AccountTransactions in memory, for the use cases of src/tim without SQL: a run works on
// a copy of the state that replaces it only when the run returns (a throw rolls it back), and
// a test can make the n-th run fail as a lost connection would.
#pragma once

#include "port/AccountTransactions.h"
#include "port/StoreErrors.h"
#include "port/UserColumns.h"
#include "scim/UserSchemas.h"

#include <Poco/Timestamp.h>

#include <algorithm>
#include <map>
#include <set>

namespace testing {

// A group's row as the fake keeps it.
struct FakeGroup {
    port::GroupRow row;
    Poco::Int64 version = 1;
    bool managed = true;
    Poco::Int64 createdMs = 0;
    Poco::Int64 modifiedMs = 0;
};

// The store's clock: whole seconds, in milliseconds.
inline Poco::Int64 fakeNowMs() {
    return Poco::Timestamp().epochMicroseconds() / 1000000 * 1000;
}

// A user's row as the fake keeps it.
struct FakeUser {
    port::UserRow row;
    Poco::Int64 version = 1;
    bool managed = true;
    bool deleted = false;
    bool createdByScim = true;
    bool holdsProtectedRole = false;
    port::PasswordChange password;  // as last written
};

struct FakeAccounts {
    std::set<std::string> users;
    std::map<std::string, std::string> groups;   // id -> its role, folded ("" for none)
    std::map<std::string, FakeGroup> groupRows;  // the groups the group use cases wrote
    std::vector<port::AuditEvent> audit;
    std::map<std::string, FakeUser> userRows;  // the users the user use cases wrote
    std::set<port::RoleGrant> timGrants;

    // An account TIM's own UI made: unmanaged, with a password SCIM did not set.
    void timAccount(const std::string& id, const std::string& userName, bool protectedRole) {
        FakeUser user;
        user.row.doc = new Poco::JSON::Object;
        user.row.doc->set("userName", userName);
        user.row.columns = port::userColumnsOf(user.row.doc);
        user.managed = false;
        user.createdByScim = false;
        user.holdsProtectedRole = protectedRole;
        userRows[id] = user;
        users.insert(id);
    }
    std::vector<port::Membership> memberships;
    std::set<std::string> outOfReach;
    std::set<port::RoleGrant> scimGrants;
    // What deletions in TIM kept: (kind, externalId) -> (taken at, ms; the ids)
    std::map<std::pair<port::AccountKind, std::string>,
             std::pair<Poco::Int64, std::vector<std::string>>>
        snapshots;
    std::map<std::string, port::RoleListing> listings;
    std::map<std::string, std::pair<std::string, bool>> catalogue;  // key -> (name, internal)
    std::set<std::string> marks;

    // User `user` joins the role group of `role` (both made when missing).
    void joinRoleGroup(const std::string& user, const std::string& role) {
        users.insert(user);
        groups["role-" + role] = role;
        memberships.push_back({"role-" + role, user, port::AccountKind::User});
    }
};

class FakeAccountTransaction final : public port::AccountTransaction {
  public:
    explicit FakeAccountTransaction(FakeAccounts& state) : _state(state) {}

    std::set<std::string> outOfReach(const std::vector<std::string>& ids) override {
        std::set<std::string> hidden;
        for (const auto& id : ids) {
            if (_state.outOfReach.count(id)) {
                hidden.insert(id);
            }
        }
        return hidden;
    }
    std::vector<port::RoleOffer> roleOffers(const std::vector<std::string>& userIds) override {
        std::vector<port::RoleOffer> offers;
        for (const auto& row : _state.memberships) {
            const auto group = _state.groups.find(row.groupId);
            if (row.memberKind == port::AccountKind::User && among(userIds, row.memberId) &&
                group != _state.groups.end() && !group->second.empty()) {
                offers.push_back({row.memberId, group->second, standingOf(group->second)});
            }
        }
        return offers;
    }
    std::vector<port::Membership> membersOf(const std::vector<std::string>& groupIds) override {
        std::vector<port::Membership> rows;
        for (const auto& row : _state.memberships) {
            if (among(groupIds, row.groupId)) {
                rows.push_back(row);
            }
        }
        return rows;
    }
    std::vector<port::Membership> groupsOf(const std::vector<std::string>& memberIds) override {
        std::vector<port::Membership> rows;
        for (const auto& row : _state.memberships) {
            if (among(memberIds, row.memberId)) {
                rows.push_back(row);
            }
        }
        return rows;
    }
    std::vector<port::GroupRole> groupRoles(const std::vector<std::string>& groupIds) override {
        std::vector<port::GroupRole> roles;
        for (const auto& [id, role] : _state.groups) {
            if (!role.empty() && among(groupIds, id)) {
                roles.push_back({id, role, standingOf(role)});
            }
        }
        return roles;
    }
    std::set<port::RoleGrant> scimGrants(const std::vector<std::string>& userIds) override {
        std::set<port::RoleGrant> held;
        for (const auto& grant : _state.scimGrants) {
            if (among(userIds, grant.first)) {
                held.insert(grant);
            }
        }
        return held;
    }
    void changeGrants(const std::set<port::RoleGrant>& grants,
                      const std::set<port::RoleGrant>& revocations) override {
        for (const auto& grant : revocations) {
            _state.scimGrants.erase(grant);
            _state.audit.push_back({"revoke", "User", grant.first, {}, {"roles:" + grant.second}});
        }
        for (const auto& grant : grants) {
            _state.scimGrants.insert(grant);
            _state.audit.push_back({"grant", "User", grant.first, {}, {"roles:" + grant.second}});
        }
    }
    std::optional<std::vector<std::string>> takeSnapshot(const port::CreatedAccount& created,
                                                         Poco::Int64 notBeforeMs) override {
        const auto found = _state.snapshots.find({created.kind, created.externalId.value()});
        if (found == _state.snapshots.end() || found->second.first < notBeforeMs) {
            return std::nullopt;
        }
        auto ids = found->second.second;
        _state.snapshots.erase(found);
        return ids;
    }
    std::size_t addMembers(const std::string& groupId,
                           const std::vector<std::string>& memberIds) override {
        std::size_t added = 0;
        const auto present = memberIdsOf(groupId);
        for (const auto& id : std::set<std::string>(memberIds.begin(), memberIds.end())) {
            const bool isGroup = _state.groups.count(id) != 0;
            if (id == groupId || !(isGroup || _state.users.count(id))) {
                continue;
            }
            if (!among(present, id)) {
                _state.memberships.push_back(
                    {groupId, id, isGroup ? port::AccountKind::Group : port::AccountKind::User});
            }
            ++added;  // a member now
        }
        return added;
    }
    std::size_t joinGroups(const std::string& userId,
                           const std::vector<std::string>& groupIds) override {
        std::size_t joined = 0;
        for (const auto& id : groupIds) {
            if (_state.groups.count(id)) {
                _state.memberships.push_back({id, userId, port::AccountKind::User});
                ++joined;
            }
        }
        return joined;
    }

    std::vector<port::RoleListing> roleListings() override {
        std::vector<port::RoleListing> listed;
        for (const auto& entry : _state.listings) {
            listed.push_back(entry.second);
        }
        return listed;
    }
    void addRoleListing(const port::RoleListing& listing) override {
        _state.listings[listing.key] = listing;
    }
    void changeRoleListing(const std::string& key, bool internal) override {
        _state.listings.at(key).internal = internal;
    }
    void removeRoleListing(const std::string& key) override { _state.listings.erase(key); }
    std::optional<bool> catalogueStanding(const std::string& key) override {
        const auto found = _state.catalogue.find(key);
        return found == _state.catalogue.end() ? std::nullopt
                                               : std::make_optional(found->second.second);
    }
    void setCatalogueRole(const std::string& key, const std::string& name, bool internal) override {
        const auto found = _state.catalogue.find(key);
        if (found == _state.catalogue.end()) {
            _state.catalogue[key] = {name, internal};
        } else {
            found->second.second = internal;
        }
    }
    void setCatalogueStanding(const std::string& key, bool internal) override {
        const auto found = _state.catalogue.find(key);
        if (found != _state.catalogue.end()) {
            found->second.second = internal;
        }
    }
    void removeCatalogueRole(const std::string& key) override { _state.catalogue.erase(key); }
    std::vector<std::string> roleGrantHolders() override {
        std::set<std::string> holders;
        for (const auto& row : _state.memberships) {
            const auto group = _state.groups.find(row.groupId);
            if (group != _state.groups.end() && !group->second.empty()) {
                holders.insert(row.memberId);
            }
        }
        for (const auto& grant : _state.scimGrants) {
            holders.insert(grant.first);
        }
        return {holders.begin(), holders.end()};
    }
    std::optional<port::LockedGroup> lockGroup(const std::string& id) override {
        if (!_state.groupRows.count(id)) {
            return std::nullopt;
        }
        const port::GroupRow& row = _state.groupRows.at(id).row;
        return port::LockedGroup{readGroup(id), row.externalId, row.displayNameKey};
    }
    std::optional<port::NamedGroup> lockGroupNamed(const std::string& displayNameKey) override {
        for (const auto& [id, group] : _state.groupRows) {
            if (group.row.displayNameKey == displayNameKey) {
                return port::NamedGroup{id, group.managed};
            }
        }
        return std::nullopt;
    }
    port::GroupRecord readGroup(const std::string& id) override {
        const FakeGroup& group = _state.groupRows.at(id);
        port::GroupRecord record;
        record.id = id;
        record.doc = group.row.doc;
        record.version = group.version;
        record.createdMs = group.createdMs;
        record.modifiedMs = group.modifiedMs;
        return record;
    }
    void insertGroup(const std::string& id, const port::GroupRow& row, bool managed) override {
        refuseTakenName(id, row);
        const Poco::Int64 now = fakeNowMs();
        _state.groupRows[id] = FakeGroup{row, 1, managed, now, now};
        _state.groups[id] = row.roleKey.isNull() ? "" : row.roleKey.value();
    }
    Poco::Int64 updateGroup(const std::string& id, const port::GroupRow& row) override {
        refuseTakenName(id, row);
        FakeGroup& group = _state.groupRows.at(id);
        group = FakeGroup{row, group.version + 1, true, group.createdMs, fakeNowMs()};
        _state.groups[id] = row.roleKey.isNull() ? "" : row.roleKey.value();
        return group.modifiedMs;
    }
    port::AppliedMemberChanges changeMembers(
        const std::string& groupId, const std::vector<port::MemberChange>& changes) override {
        using Kind = port::MemberChange::Kind;
        port::AppliedMemberChanges result;
        std::set<std::string> touched;
        for (const auto& change : changes) {
            const auto before = memberIdsOf(groupId);
            std::vector<std::string> removed = change.ids;
            if (change.kind == Kind::RemoveAll || change.kind == Kind::ReplaceAll) {
                removed = before;
            } else if (change.kind == Kind::RemoveMatching) {
                removed.clear();
                for (const auto& id : before) {
                    if (change.matches({id, _state.groups.count(id) ? "Group" : "User", id})) {
                        removed.push_back(id);
                    }
                }
            } else if (change.kind == Kind::Add) {
                removed.clear();
            }
            removeMembers(groupId, removed);
            if (change.kind == Kind::Add || change.kind == Kind::ReplaceAll) {
                addMembers(groupId, change.ids);
                for (const auto& id : change.ids) {
                    if (!_state.users.count(id) && !_state.groups.count(id)) {
                        result.ignored.push_back(id);
                    }
                }
            }
            result.changed = result.changed || memberIdsOf(groupId) != before;
            // As the store: a wholesale change touches every former member, a listed one its ids.
            if (change.kind == Kind::RemoveAll || change.kind == Kind::ReplaceAll) {
                touched.insert(before.begin(), before.end());
            }
            touched.insert(removed.begin(), removed.end());
            touched.insert(change.ids.begin(), change.ids.end());
        }
        result.touched.assign(touched.begin(), touched.end());
        return result;
    }
    std::size_t moveOutOfReachMembers(const std::string& fromGroupId,
                                      const std::string& toGroupId) override {
        std::size_t moved = 0;
        for (auto& row : _state.memberships) {
            if (row.groupId == fromGroupId && _state.outOfReach.count(row.memberId)) {
                row.groupId = toGroupId;
                ++moved;
            }
        }
        return moved;
    }
    std::vector<std::string> deleteGroup(const std::string& groupId) override {
        const auto members = memberIdsOf(groupId);
        auto& rows = _state.memberships;
        rows.erase(std::remove_if(rows.begin(), rows.end(),
                                  [&](const port::Membership& row) {
                                      return row.groupId == groupId || row.memberId == groupId;
                                  }),
                   rows.end());
        _state.groupRows.erase(groupId);
        _state.groups.erase(groupId);
        return members;
    }
    void saveSnapshot(const port::CreatedAccount& deleted,
                      const std::vector<std::string>& ids) override {
        if (deleted.externalId.isNull()) {
            return;  // kept by the store too, but never taken: a restore needs the externalId
        }
        _state.snapshots[{deleted.kind, deleted.externalId.value()}] = {
            Poco::Timestamp().epochMicroseconds() / 1000, ids};
    }
    void recordAudit(const port::AuditEvent& event) override { _state.audit.push_back(event); }

    std::vector<port::AccountCandidate> userCandidates(const port::UserColumns& columns) override {
        std::vector<port::AccountCandidate> found;
        for (const auto& [id, user] : _state.userRows) {
            const port::UserColumns& c = user.row.columns;
            const bool byName = c.userNameKey == columns.userNameKey;
            const bool byEmail =
                !byName && !columns.timEmailKey.isNull() && !user.managed && !user.deleted &&
                (c.emailKey == columns.timEmailKey || c.workEmailKey == columns.timEmailKey);
            if (!byName && !byEmail) {
                continue;
            }
            port::AccountCandidate candidate;
            candidate.via = byName ? port::MatchedBy::UserName : port::MatchedBy::Email;
            candidate.id = id;
            candidate.deleted = user.deleted;
            candidate.managed = user.managed;
            candidate.isProtected = !user.managed && user.holdsProtectedRole;
            if (!c.externalId.isNull()) {
                candidate.externalId = c.externalId.value();
            }
            candidate.version = user.version;
            found.insert(byName ? found.begin() : found.end(), candidate);
        }
        return found;
    }
    void lockCandidate(const port::AccountCandidate& candidate) override {
        const auto user = _state.userRows.find(candidate.id);
        if (user == _state.userRows.end() || user->second.version != candidate.version) {
            throw port::RunAgain("user " + candidate.id + " changed");
        }
    }
    void eraseUser(const std::string& id, const Poco::Nullable<std::string>& externalId,
                   const std::string& why) override {
        _state.userRows.erase(id);
        _state.users.erase(id);
        _state.audit.push_back({"purge", "User", id, externalId, {}, why});
    }
    Poco::Int64 insertUser(const std::string& id, const port::UserRow& row,
                           const port::PasswordChange& password, bool byScim) override {
        refuseTakenUserName(row.columns, id);
        FakeUser user;
        user.row = row;
        user.managed = byScim;
        user.createdByScim = byScim;
        user.password = password;
        _state.userRows[id] = user;
        _state.users.insert(id);
        return 1000;
    }
    bool updateUser(const std::string& id, const port::UserRow& row,
                    const port::UserWrite& write) override {
        FakeUser& user = _state.userRows.at(id);
        if (user.version != write.version) {
            return false;
        }
        refuseTakenUserName(row.columns, id);
        user.row = row;
        ++user.version;
        user.managed = true;
        user.deleted = user.deleted && !write.revive;
        if (!write.password.keep) {
            user.password = write.password;
        }
        return true;
    }
    std::optional<port::LockedUser> lockUser(const std::string& id) override {
        const auto user = _state.userRows.find(id);
        if (user == _state.userRows.end() || user->second.deleted ||
            (!user->second.managed && user->second.holdsProtectedRole)) {
            return std::nullopt;
        }
        return port::LockedUser{user->second.version, user->second.managed};
    }
    port::CredentialStanding credentialStanding(const std::string& id) override {
        const FakeUser& user = _state.userRows.at(id);
        return {user.createdByScim, user.holdsProtectedRole};
    }
    void refuseTakenUserName(const port::UserColumns& columns, const std::string& id) override {
        for (const auto& [other, user] : _state.userRows) {
            if (other != id && user.row.columns.userNameKey == columns.userNameKey) {
                throw port::userNameTaken(columns.userName, other);
            }
        }
    }
    port::UserRecord readUser(const std::string& id) override {
        const FakeUser& user = _state.userRows.at(id);
        port::UserRecord record;
        record.id = id;
        record.doc = user.row.doc;
        record.version = user.version;
        record.managed = user.managed;
        record.credential = credentialStanding(id);
        readManager(record);
        return record;
    }
    void readManager(port::UserRecord& record) override {
        if (const auto manager = scim::managerIdOf(record.doc)) {
            record.manager = port::ManagerRef{_state.userRows.count(*manager) != 0, ""};
        }
    }
    Poco::Nullable<std::string> markUserDeleted(const std::string& id) override {
        FakeUser& user = _state.userRows.at(id);
        user.deleted = true;
        user.managed = true;
        ++user.version;
        return user.row.columns.externalId;
    }
    void grantTimRole(const std::string& userId, const std::string& roleKey) override {
        _state.timGrants.insert({userId, roleKey});
    }

    void discard() override { discarded = true; }
    bool discarded = false;

    bool hasMark(const std::string& name) override { return _state.marks.count(name) != 0; }
    void setMark(const std::string& name) override { _state.marks.insert(name); }
    void clearMark(const std::string& name) override { _state.marks.erase(name); }

  private:
    void refuseTakenName(const std::string& id, const port::GroupRow& row) const {
        for (const auto& [other, group] : _state.groupRows) {
            if (other != id && group.row.displayNameKey == row.displayNameKey) {
                throw port::Conflict(port::Conflict::Kind::Uniqueness, "taken", other);
            }
        }
    }
    // Sorted, as the membership is a set.
    std::vector<std::string> memberIdsOf(const std::string& groupId) const {
        std::set<std::string> ids;
        for (const auto& row : _state.memberships) {
            if (row.groupId == groupId) {
                ids.insert(row.memberId);
            }
        }
        return {ids.begin(), ids.end()};
    }
    // Members out of SCIM's reach stay.
    void removeMembers(const std::string& groupId, const std::vector<std::string>& ids) {
        auto& rows = _state.memberships;
        rows.erase(std::remove_if(rows.begin(), rows.end(),
                                  [&](const port::Membership& row) {
                                      return row.groupId == groupId && among(ids, row.memberId) &&
                                             !_state.outOfReach.count(row.memberId);
                                  }),
                   rows.end());
    }

    static bool among(const std::vector<std::string>& ids, const std::string& id) {
        return std::find(ids.begin(), ids.end(), id) != ids.end();
    }

    port::RoleStanding standingOf(const std::string& role) const {
        const auto found = _state.catalogue.find(role);
        if (found == _state.catalogue.end()) {
            return port::RoleStanding::Unknown;
        }
        return found->second.second ? port::RoleStanding::Internal : port::RoleStanding::Grantable;
    }

    FakeAccounts& _state;
};

class FakeAccountTransactions final : public port::AccountTransactions {
  public:
    FakeAccounts state;
    int runs = 0;
    int failingRun = 0;  // the run (1, 2, ...) that loses its connection; 0: none
    int retriedRun = 0;  // the run whose first attempt loses to another write: work runs twice

    void run(const std::function<void(port::AccountTransaction&)>& work) override {
        ++runs;
        if (runs == failingRun) {
            throw port::Unavailable(port::Unavailable::Cause::Down, "connection lost");
        }
        if (runs == retriedRun) {
            FakeAccounts lost = state;
            FakeAccountTransaction attempt(lost);
            work(attempt);  // rolled back, as the store does before it runs `work` again
        }
        for (int attempt = 1;; ++attempt) {
            FakeAccounts copy = state;
            FakeAccountTransaction tx(copy);
            try {
                work(tx);
            } catch (const port::RunAgain&) {
                if (attempt < 4) {
                    continue;  // as the store: the use case starts again on the state it left
                }
                throw port::Unavailable(port::Unavailable::Cause::Busy, "gave up");
            }
            if (!tx.discarded) {
                state = std::move(copy);
            }
            return;
        }
    }
};

}  // namespace testing
