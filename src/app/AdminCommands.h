// The admin commands (TIM's UI actions: token, identities, purge, status, audit ...): one
// table of name, description (with the usage) and handler. The plugin registers each with the
// host; a unit test holds manifest.json's command list to the same table.
#pragma once

#include "Components.h"

#include <string>
#include <vector>

namespace app {

struct AdminCommand {
    const char* name;
    const char* description;
    // Returns what the command prints; throws Poco::Exception with a message for the operator
    // (Poco::InvalidArgumentException with the usage for bad arguments).
    std::string (*run)(Components& components, const std::vector<std::string>& args);
};

const std::vector<AdminCommand>& adminCommands();

}  // namespace app
