// A request as the front hands it to the router, and the answer the router hands back: the
// library that speaks HTTP on the wire (HttpSession) stays out of routing and the ABI.
#pragma once

#include "RequestFraming.h"

#include <tim/plugin_api.h>

#include <Poco/Net/HTTPRequest.h>

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace timhost {

// The body of one request, read only when a handler asks for it (the first read sends
// "100 Continue" to a client that expects it), on the handler's thread.
class BodySource {
  public:
    virtual ~BodySource() = default;
    // Up to `size` bytes into `buffer`; TIM_OK with `got` 0: the body is complete. TIM_ERR_IO:
    // the client failed, stalled past its deadline, closed early or broke the chunked coding.
    virtual tim_status read(char* buffer, std::size_t size, std::size_t& got) = 0;
};

struct IncomingRequest {
    Poco::Net::HTTPRequest head;  // request line and header fields, in order
    std::string peer;             // the connection's remote IP address
    std::string listener;         // the local "host:port" it reached
    bool secure = false;
    RequestFraming framing;
    BodySource* body = nullptr;
};

struct HttpAnswer {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    bool close = false;  // the connection closes after it; unread body bytes are discarded
};

}  // namespace timhost
