// TIM's credential rule: a SCIM token is a provisioning credential, never a way to an account's
// password. SCIM sets a password only on an account that SCIM itself created and that holds no
// protected role; on every other account (bound, TIM's own, or holding an internal or protected
// role whatever its origin) a password in any form is refused, while attributes, disabling and
// deletion still work.
#pragma once

#include "port/Credentials.h"

namespace tim {

// Why SCIM may not set an account's password.
enum class PasswordRefusal { None, NotCreatedByScim, ProtectedRole };

PasswordRefusal passwordRefusalFor(const port::CredentialStanding& account);

}  // namespace tim
