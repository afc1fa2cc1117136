// TIM's password rules for accounts SCIM writes (the guide's FAQ 3 and FAQ 4): a new account
// gets the client's password, else the default password (initpass-x-others) to change at
// first login; binding never touches an account's password; SCIM's later writes set the
// password only when the client sends one.
#pragma once

#include "port/Credentials.h"

#include <optional>
#include <string>

namespace tim {

enum class AccountEvent {
    Created,  // a new account (by SCIM or by TIM)
    Bound,    // an account TIM created becomes SCIM's
    Updated,  // SCIM writes an account it manages (a revive too)
};

// `clientHash`: the hash of the client's password, if it sent one; `defaultHash`: the hash of
// the default password, "" when none is configured.
port::PasswordChange passwordChangeOn(AccountEvent event,
                                      const std::optional<std::string>& clientHash,
                                      const std::string& defaultHash);

}  // namespace tim
