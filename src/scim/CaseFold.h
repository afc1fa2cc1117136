// The one case-folding rule for case-insensitive keys (userName, group displayName, role and
// system identity names), so MySQL and SQLite compare the same folded bytes.
#pragma once

#include <string>

namespace scim {

// Lower-cases every code point of a UTF-8 string with Poco's Unicode tables. Invalid UTF-8
// is returned unchanged byte for byte.
std::string foldCase(const std::string& utf8);

}  // namespace scim
