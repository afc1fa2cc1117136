#include "Credentials.h"

namespace tim {

port::PasswordRefusal passwordRefusalFor(const port::CredentialStanding& account) {
    if (account.holdsProtectedRole) {
        return port::PasswordRefusal::ProtectedRole;
    }
    if (!account.createdByScim) {
        return port::PasswordRefusal::NotCreatedByScim;
    }
    return port::PasswordRefusal::None;
}

}  // namespace tim
