// The roles tim.properties lists (scim.roles.known, scim.roles.internal and
// scim.binding.protectedRoles) applied to TIM's role catalogue at start, and, when they changed
// since the database last saw them, the grants of every account they may move recomputed.
#pragma once

#include "AccountService.h"

#include "port/AccountTransactions.h"

#include <cstddef>
#include <string>
#include <vector>

namespace tim {

struct RoleCatalogueChange {
    std::vector<std::string> roles;  // listed, unlisted or moved between known and internal
    std::size_t accountsRecomputed = 0;
    std::size_t granted = 0;
    std::size_t revoked = 0;
    bool recomputed = false;
};

// Accounts per transaction when grants are recomputed.
inline constexpr std::size_t kRoleRecomputeBatch = 500;

// A role listed now that was not is added to the catalogue (or has its standing set; a role in
// both lists is internal); a role listed before and not now goes back to the standing the
// catalogue gave it before the configuration listed it (a role the plugin added leaves it).
// Then, when anything changed or an earlier recompute did not finish, the grants of every
// member of a role group and every holder of a role SCIM granted are recomputed, in
// transactions of kRoleRecomputeBatch accounts, each change audited. Roles TIM granted itself
// are never touched.
RoleCatalogueChange applyRoleCatalogue(port::AccountTransactions& transactions,
                                       const AccountService& rules,
                                       const std::vector<std::string>& known,
                                       const std::vector<std::string>& internal);

}  // namespace tim
