#include "RoleGrants.h"

#include <map>

namespace tim {

namespace {

enum class Direction { Down, Up };

// The membership rows a walk from `ids` reaches (down: the members of groups, up: the groups of
// members), level by level, each group walked once: a cycle of groups ends the walk.
std::vector<port::Membership> walk(port::AccountTransaction& work, Direction direction,
                                   const std::vector<std::string>& ids) {
    std::set<std::string> seen(ids.begin(), ids.end());
    std::vector<std::string> frontier(seen.begin(), seen.end());
    std::vector<port::Membership> rows;
    while (!frontier.empty()) {
        auto level =
            direction == Direction::Down ? work.membersOf(frontier) : work.groupsOf(frontier);
        std::vector<std::string> next;
        for (auto& row : level) {
            const bool down = direction == Direction::Down;
            const std::string& reached = down ? row.memberId : row.groupId;
            const bool isGroup = !down || row.memberKind == port::AccountKind::Group;
            if (seen.insert(reached).second && isGroup) {
                next.push_back(reached);
            }
            rows.push_back(std::move(row));
        }
        frontier = std::move(next);
    }
    return rows;
}

GrantTally apply(port::AccountTransaction& work, const std::vector<port::RoleOffer>& offers,
                 const std::vector<std::string>& accountIds) {
    const auto changes = grantChanges(offers, work.scimGrants(accountIds));
    if (!changes.grants.empty() || !changes.revocations.empty()) {
        work.changeGrants(changes.grants, changes.revocations);
    }
    return {changes.grants.size(), changes.revocations.size()};
}

}  // namespace

GrantChanges grantChanges(const std::vector<port::RoleOffer>& offers,
                          const std::set<port::RoleGrant>& current) {
    std::set<port::RoleGrant> entitled;
    for (const auto& offer : offers) {
        if (offer.standing == port::RoleStanding::Grantable) {
            entitled.emplace(offer.userId, offer.role);
        }
    }
    GrantChanges changes;
    for (const auto& grant : entitled) {
        if (!current.count(grant)) {
            changes.grants.insert(grant);
        }
    }
    for (const auto& grant : current) {
        if (!entitled.count(grant)) {
            changes.revocations.insert(grant);
        }
    }
    return changes;
}

std::vector<port::RoleOffer> nestedOffers(const std::vector<port::Membership>& above,
                                          const std::vector<port::GroupRole>& roles) {
    std::map<std::string, std::vector<std::string>> parents;
    std::set<std::string> users;
    for (const auto& row : above) {
        parents[row.memberId].push_back(row.groupId);
        if (row.memberKind == port::AccountKind::User) {
            users.insert(row.memberId);
        }
    }
    std::map<std::string, std::vector<const port::GroupRole*>> rolesOf;
    for (const auto& role : roles) {
        rolesOf[role.groupId].push_back(&role);
    }
    std::vector<port::RoleOffer> offers;
    for (const auto& user : users) {
        std::set<std::string> reached;
        std::vector<std::string> pending = parents[user];
        while (!pending.empty()) {
            const std::string group = pending.back();
            pending.pop_back();
            if (!reached.insert(group).second) {
                continue;
            }
            for (const auto* role : rolesOf[group]) {
                offers.push_back(port::RoleOffer{user, role->role, role->standing});
            }
            const auto& up = parents[group];
            pending.insert(pending.end(), up.begin(), up.end());
        }
    }
    return offers;
}

namespace {

// `accounts` less those out of SCIM's reach: their roles are TIM's alone, whatever group
// TIM put them in.
std::vector<std::string> inReach(port::AccountTransaction& work,
                                 const std::set<std::string>& accounts) {
    const std::vector<std::string> all(accounts.begin(), accounts.end());
    const auto hidden = work.outOfReach(all);
    std::vector<std::string> kept;
    for (const auto& id : all) {
        if (!hidden.count(id)) {
            kept.push_back(id);
        }
    }
    return kept;
}

}  // namespace

GrantTally grantRoles(port::AccountTransaction& work, const std::vector<std::string>& accountIds,
                      RoleReach reach) {
    if (accountIds.empty()) {
        return {};
    }
    std::set<std::string> accounts(accountIds.begin(), accountIds.end());
    if (reach == RoleReach::Direct) {
        const auto ids = inReach(work, accounts);
        return ids.empty() ? GrantTally{} : apply(work, work.roleOffers(ids), ids);
    }
    // Every account below the groups among them may hold another role now.
    for (const auto& row : walk(work, Direction::Down, accountIds)) {
        accounts.insert(row.memberId);
    }
    const std::vector<std::string> ids = inReach(work, accounts);
    if (ids.empty()) {
        return {};
    }
    const auto above = walk(work, Direction::Up, ids);
    std::set<std::string> groups;
    for (const auto& row : above) {
        groups.insert(row.groupId);
    }
    const auto roles = work.groupRoles({groups.begin(), groups.end()});
    return apply(work, nestedOffers(above, roles), ids);
}

}  // namespace tim
