// Parses SCIM filters (RFC 7644 §3.4.2.2) into an AST.
#pragma once

#include "Filter.h"

#include <cstddef>
#include <string>

namespace scim::filter {

struct ParseLimits {
    std::size_t maxLength = 8192;
    std::size_t maxDepth = 32;  // nesting of parentheses, not and value paths
};

// The full grammar: eq ne co sw ew pr gt ge lt le, and/or/not with precedence not > and > or,
// parentheses, value paths (`emails[type eq "work" and value co "@x"]`), sub-attributes and
// URN-qualified paths; operators and keywords in any case. Two client habits are accepted:
// an unquoted bare value is a string (`externalId eq jyoung`), and a value path followed by a
// sub-attribute comparison (`emails[type eq "work"].value eq "a@b"`), which means
// `emails[type eq "work" and value eq "a@b"]`.
// Throws scim::ScimError 400 invalidFilter with the position of the problem.
NodePtr parseFilter(const std::string& text, const ParseLimits& limits = {});

}  // namespace scim::filter
