#include "CaseFold.h"

#include <Poco/UTF8String.h>

namespace scim {

std::string foldCase(const std::string& utf8) {
    return Poco::UTF8::toLower(utf8);
}

}  // namespace scim
