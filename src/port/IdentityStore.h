// TIM's identities as the plugin needs them now: system identities such as sys.scim.
#pragma once

#include <optional>
#include <string>

namespace port {

class IdentityStore {
  public:
    virtual ~IdentityStore() = default;

    // Creates the system identity `name` (active) unless one exists; true if it created it.
    // Safe when several instances do it at once.
    virtual bool createSystemIdentityIfMissing(const std::string& name) = 0;
};

}  // namespace port
