#include "RoleGrants.h"

namespace tim {

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

void grantRoles(port::AccountWork& work, const std::vector<std::string>& userIds) {
    if (userIds.empty()) {
        return;
    }
    const auto changes = grantChanges(work.roleOffers(userIds), work.scimGrants(userIds));
    if (!changes.grants.empty() || !changes.revocations.empty()) {
        work.changeGrants(changes.grants, changes.revocations);
    }
}

}  // namespace tim
