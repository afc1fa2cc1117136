// TIM's role rules for role.<name> groups (the guide, "What TIM does with role. groups").
#pragma once

#include <optional>
#include <string>

namespace tim {

// "role.workflow-designer" (prefix in any case, surrounding blanks ignored) ->
// "workflow-designer"; nullopt for any other displayName and for "role." alone. Whether TIM
// knows the role, and whether it is internal, is the tim_role catalogue's to say.
std::optional<std::string> roleNameOf(const std::string& groupDisplayName);

}  // namespace tim
