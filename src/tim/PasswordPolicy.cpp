#include "PasswordPolicy.h"

namespace tim {

port::PasswordChange passwordChangeOn(AccountEvent event,
                                      const std::optional<std::string>& clientHash,
                                      const std::string& defaultHash) {
    port::PasswordChange change;
    switch (event) {
        case AccountEvent::Bound:
            return change;  // the account's own password, whatever the request said
        case AccountEvent::Updated:
            if (clientHash) {
                change.keep = false;
                change.hash = *clientHash;
            }
            return change;
        case AccountEvent::Created:
            change.keep = false;
            if (clientHash) {
                change.hash = *clientHash;
            } else {
                if (!defaultHash.empty()) {
                    change.hash = defaultHash;
                }
                change.mustChange = true;
            }
            return change;
    }
    return change;
}

}  // namespace tim
