// What SCIM's reach over an account's password depends on, and what a write does to it: the
// facts TIM's credential and password rules (src/tim) read and decide, and the store keeps.
#pragma once

#include <Poco/Nullable.h>

#include <string>

namespace port {

// What SCIM's reach over an account's password depends on.
struct CredentialStanding {
    bool createdByScim = false;       // SCIM created it: neither TIM's own nor bound
    bool holdsProtectedRole = false;  // an internal or protected role, whoever granted it
};

// What a write of an account does to its password.
struct PasswordChange {
    bool keep = true;                  // the hash and the change-at-login flag stay as they are
    Poco::Nullable<std::string> hash;  // otherwise the new hash (null: none)
    bool mustChange = false;           // and whether TIM asks for a new password at login
};

}  // namespace port
