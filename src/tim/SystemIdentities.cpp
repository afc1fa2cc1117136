#include "SystemIdentities.h"

namespace tim {

std::vector<std::string> setupSystemIdentities(port::IdentityStore& identities) {
    std::vector<std::string> created;
    for (const char* name : {kScimIdentity}) {
        if (identities.createSystemIdentityIfMissing(name)) {
            created.emplace_back(name);
        }
    }
    return created;
}

}  // namespace tim
