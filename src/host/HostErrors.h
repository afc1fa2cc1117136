// The answers timhost makes itself (no route, wrong method, refused framing, a broken plugin):
// a SCIM-shaped JSON error, which every client of a TIM host understands.
#pragma once

#include "HttpMessage.h"

#include <string>

namespace timhost {

inline constexpr const char* kDefaultErrorMediaType = "application/json";

// The error as `mediaType` (the route's, see tim_http_handler_desc.error_media_type).
HttpAnswer hostError(int status, const std::string& detail,
                     const std::string& mediaType = kDefaultErrorMediaType);

}  // namespace timhost
