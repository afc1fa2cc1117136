// Each request's id and its access line. The id comes from the client's X-Request-Id when that
// is a plain token, else it is made here; it is answered in X-Request-Id and, while the request
// runs (port::RequestScope), prefixes every log line the plugin writes (HostChannel).
#pragma once

#include "api/Http.h"

#include <string>

namespace api {

// The id of the request this thread serves ("" outside one), for the plugin's log lines.
const std::string& currentRequestId();

// The client's X-Request-Id if it is 1 to 64 of [A-Za-z0-9._-], else a new random id.
std::string requestIdOf(const Request& request);

// Path and query for the log, with the values of parameters that may carry secrets (names with
// "token", "password", "secret" or "key") replaced by "***".
std::string loggableTarget(const std::string& path, const std::string& query);

// `text` with the value of every "password=" (any case) up to the next ';', space or quote
// replaced by "***": Poco's connection errors quote the whole connection string.
std::string withoutPasswords(const std::string& text);

// The client's address for a log line ("-" when the host does not tell it).
std::string loggableClient(const Request& request);

// "access GET /tim/api/scim/Users?count=1 200 scimType=- 1.8ms 512B client=192.0.2.7"
std::string accessLine(const Request& request, const Response& response, double milliseconds);

}  // namespace api
