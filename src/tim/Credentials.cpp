#include "Credentials.h"

namespace tim {

PasswordRefusal passwordRefusalFor(const port::CredentialStanding& account) {
    if (account.holdsProtectedRole) {
        return PasswordRefusal::ProtectedRole;
    }
    if (!account.createdByScim) {
        return PasswordRefusal::NotCreatedByScim;
    }
    return PasswordRefusal::None;
}

}  // namespace tim
