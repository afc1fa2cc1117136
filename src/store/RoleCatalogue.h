// The roles tim.properties lists (scim.roles.known, scim.roles.internal and
// scim.binding.protectedRoles) applied to TIM's role catalogue at start, and, when they changed
// since the database last saw them, every role-group member's grants recomputed.
#pragma once

#include "Database.h"
#include "port/AccountRules.h"

#include <cstddef>
#include <string>
#include <vector>

namespace store {

struct RoleCatalogueChange {
    std::vector<std::string> roles;  // listed, unlisted or moved between known and internal
    std::size_t accountsRecomputed = 0;
    std::size_t granted = 0;
    std::size_t revoked = 0;
    bool recomputed = false;
};

// Users per transaction when grants are recomputed.
inline constexpr std::size_t kRoleRecomputeBatch = 500;

// A role listed now that was not is added to tim_role (or has its standing set); a role listed
// before and not now goes back to what tim_role held before the configuration listed it (a row
// the plugin added leaves the catalogue). Then, when anything changed or an earlier recompute did
// not finish, `rules` recompute the grants of every member of a role group and every holder of a
// role SCIM granted, in transactions of kRoleRecomputeBatch users, each change audited. Roles TIM
// granted itself are never touched.
RoleCatalogueChange applyRoleCatalogue(Database& database, const port::AccountRules& rules,
                                       const std::vector<std::string>& known,
                                       const std::vector<std::string>& internal);

}  // namespace store
