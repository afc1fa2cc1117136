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
    std::map<std::string, port::RoleListing> listings;
    std::map<std::string, std::pair<std::string, bool>> catalogue;  // key -> (name, internal)
    std::set<std::string> marks;
    std::map<std::string, std::vector<std::string>> roleGroupsOf;  // user -> folded roles
    std::set<std::string> outOfReach;
    std::set<port::RoleGrant> scimGrants;
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
        for (const auto& user : userIds) {
            const auto found = _state.roleGroupsOf.find(user);
            if (found == _state.roleGroupsOf.end()) {
                continue;
            }
            for (const auto& role : found->second) {
                offers.push_back({user, role, standingOf(role)});
            }
        }
        return offers;
    }
    std::vector<port::Membership> membersOf(const std::vector<std::string>&) override { return {}; }
    std::vector<port::Membership> groupsOf(const std::vector<std::string>&) override { return {}; }
    std::vector<port::GroupRole> groupRoles(const std::vector<std::string>&) override { return {}; }
    std::set<port::RoleGrant> scimGrants(const std::vector<std::string>& userIds) override {
        std::set<port::RoleGrant> held;
        for (const auto& grant : _state.scimGrants) {
            if (std::find(userIds.begin(), userIds.end(), grant.first) != userIds.end()) {
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
    std::optional<std::vector<std::string>> takeSnapshot(const port::CreatedAccount&,
                                                         Poco::Int64) override {
        return std::nullopt;
    }
    std::size_t addMembers(const std::string&, const std::vector<std::string>&) override {
        return 0;
    }
    std::size_t joinGroups(const std::string&, const std::vector<std::string>&) override {
        return 0;
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
        for (const auto& entry : _state.roleGroupsOf) {
            holders.insert(entry.first);
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

    void run(const std::function<void(port::AccountTransaction&)>& work) override {
        ++runs;
        if (runs == failingRun) {
            throw port::Unavailable(port::Unavailable::Cause::Down, "connection lost");
        }
        FakeAccounts copy = state;
        FakeAccountTransaction tx(copy);
        work(tx);
        state = std::move(copy);
    }
};

}  // namespace testing
