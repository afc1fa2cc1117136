#include "PasswordPolicy.h"

namespace tim {

store::PasswordChange passwordChangeOn(store::AccountEvent event,
                                       const std::optional<std::string>& clientHash,
                                       const std::string& defaultHash) {
    store::PasswordChange change;
    switch (event) {
        case store::AccountEvent::Bound:
            return change;  // the account's own password, whatever the request said
        case store::AccountEvent::Updated:
            if (clientHash) {
                change.keep = false;
                change.hash = *clientHash;
            }
            return change;
        case store::AccountEvent::Created:
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
