// TIM's rule for the roles role groups grant (the guide, "What TIM does with role. groups"): a
// user holds, from SCIM, exactly the roles named by the role groups it is a member of that TIM
// knows and that are not internal. Internal and protected roles are TIM's alone to give, and a
// role TIM granted itself is never SCIM's to take.
#pragma once

#include "port/AccountTransaction.h"

#include <cstddef>
#include <set>
#include <string>
#include <vector>

namespace tim {

// Which role groups entitle a user: those it is a direct member of, or also those that hold,
// at any depth, a group it is a member of (scim.roles.nested).
enum class RoleReach { Direct, Nested };

// How many role grants a recompute added and took away.
struct GrantTally {
    std::size_t granted = 0;
    std::size_t revoked = 0;
};

struct GrantChanges {
    std::set<port::RoleGrant> grants;
    std::set<port::RoleGrant> revocations;
};

// What brings `current` (the roles SCIM granted these users) to what `offers` entitle them to.
GrantChanges grantChanges(const std::vector<port::RoleOffer>& offers,
                          const std::set<port::RoleGrant>& current);

// The offers of the role groups above each user member of `above` (membership rows, of users
// and of the groups they lead up to), at any depth; cycles are walked once.
std::vector<port::RoleOffer> nestedOffers(const std::vector<port::Membership>& above,
                                          const std::vector<port::GroupRole>& roles);

// Applies the rule inside `work` to these accounts: users, and, for groups among them, with
// RoleReach::Nested, the users below them at any depth.
GrantTally grantRoles(port::AccountTransaction& work, const std::vector<std::string>& accountIds,
                      RoleReach reach);

}  // namespace tim
