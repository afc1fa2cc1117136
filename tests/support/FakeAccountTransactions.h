// port::AccountTransactions in memory, for the use cases of src/tim without SQL: a run works on
// a copy of the state that replaces it only when the run returns (a throw rolls it back), and
// a test can make the n-th run fail as a lost connection would.
#pragma once

#include "port/AccountTransactions.h"
#include "port/StoreErrors.h"

#include <algorithm>
#include <map>
#include <set>

namespace testing {

struct FakeAccounts {
    std::set<std::string> users;
    std::map<std::string, std::string> groups;  // id -> its role, folded ("" for none)
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
        }
        _state.scimGrants.insert(grants.begin(), grants.end());
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
        for (const auto& id : std::set<std::string>(memberIds.begin(), memberIds.end())) {
            const bool isGroup = _state.groups.count(id) != 0;
            if (id != groupId && (isGroup || _state.users.count(id))) {
                _state.memberships.push_back(
                    {groupId, id, isGroup ? port::AccountKind::Group : port::AccountKind::User});
                ++added;
            }
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
    bool hasMark(const std::string& name) override { return _state.marks.count(name) != 0; }
    void setMark(const std::string& name) override { _state.marks.insert(name); }
    void clearMark(const std::string& name) override { _state.marks.erase(name); }

  private:
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
        FakeAccounts copy = state;
        FakeAccountTransaction tx(copy);
        work(tx);
        state = std::move(copy);
    }
};

}  // namespace testing
