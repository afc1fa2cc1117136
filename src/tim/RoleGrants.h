// TIM's rule for the roles role groups grant (the guide, "What TIM does with role. groups"): a
// user holds, from SCIM, exactly the roles named by the role groups it is a member of that TIM
// knows and that are not internal. Internal and protected roles are TIM's alone to give, and a
// role TIM granted itself is never SCIM's to take.
#pragma once

#include "port/AccountWork.h"

#include <set>
#include <string>
#include <vector>

namespace tim {

struct GrantChanges {
    std::set<port::RoleGrant> grants;
    std::set<port::RoleGrant> revocations;
};

// What brings `current` (the roles SCIM granted these users) to what `offers` entitle them to.
GrantChanges grantChanges(const std::vector<port::RoleOffer>& offers,
                          const std::set<port::RoleGrant>& current);

// Applies the rule to these users inside `work`.
void grantRoles(port::AccountWork& work, const std::vector<std::string>& userIds);

}  // namespace tim
