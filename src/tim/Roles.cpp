#include "Roles.h"

#include <Poco/String.h>

namespace tim {

std::optional<std::string> roleNameOf(const std::string& groupDisplayName) {
    constexpr std::size_t kPrefix = 5;  // "role."
    const std::string name = Poco::trim(groupDisplayName);
    if (name.size() <= kPrefix || Poco::icompare(name.substr(0, kPrefix), "role.") != 0) {
        return std::nullopt;
    }
    return name.substr(kPrefix);
}

}  // namespace tim
