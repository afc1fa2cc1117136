// The answers timhost makes itself (no route, wrong method, refused framing, a broken plugin):
// a SCIM-shaped JSON error, which every client of a TIM host understands.
#pragma once

#include <Poco/Net/HTTPServerResponse.h>

#include <string>

namespace timhost {

// Sends the error and flushes it (a lingering close may shut the write side next).
void sendHostError(Poco::Net::HTTPServerResponse& response, int status, const std::string& detail);

}  // namespace timhost
