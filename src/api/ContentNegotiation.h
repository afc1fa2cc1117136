// The media type of a SCIM response, from the request's Accept (RFC 7644 §3.8, RFC 9110
// §12.5.1): application/scim+json by default, when the client prefers it and on a tie;
// application/json when the client prefers that (OneLogin needs it); none when the client
// accepts neither (406).
#pragma once

#include <optional>
#include <string>

namespace api {

inline constexpr const char* kPlainJson = "application/json";

// `accept`: the header's value, nullopt or empty when absent (anything goes).
std::optional<std::string> responseMediaType(const std::optional<std::string>& accept);

}  // namespace api
