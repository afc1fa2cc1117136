// The one case-folding rule for case-insensitive keys (userName, group displayName, role and
// system identity names), so MySQL and SQLite compare the same folded bytes.
#pragma once

#include <string>

namespace scim {

// Full Unicode case folding (ICU, CaseFolding.txt statuses C and F), so "Straße" matches
// "STRASSE" and "ǅ" matches "ǆ". Invalid UTF-8 is returned unchanged byte for byte.
std::string foldCase(const std::string& utf8);

}  // namespace scim
