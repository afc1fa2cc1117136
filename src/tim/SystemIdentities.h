// TIM's system identities ("Setup System Identities" in TIM's migration page).
#pragma once

#include "port/IdentityStore.h"

#include <string>
#include <vector>

namespace tim {

// The identity SCIM bearer tokens belong to. Not a SCIM resource: SCIM never lists, changes
// or deletes it.
inline constexpr const char* kScimIdentity = "sys.scim";

// Creates every system identity that is missing; returns the names it created.
std::vector<std::string> setupSystemIdentities(port::IdentityStore& identities);

}  // namespace tim
