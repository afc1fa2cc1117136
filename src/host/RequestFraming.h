// How a request's body is delimited (RFC 9112 §6), decided from its head alone, before any body
// byte is read. Ambiguous framing is how requests are smuggled past a proxy, so every head
// that two parsers could read differently is refused and its connection closed. Beast's parser
// decodes the body and refuses what it cannot frame; these rules are the ones it lets through
// (two equal Content-Length fields or values, a coding before "chunked", no length on a POST).
#pragma once

#include <Poco/Net/HTTPRequest.h>

#include <string>

namespace timhost {

struct RequestFraming {
    enum class Body { None, Length, Chunked };

    int refusal = 0;  // 0, or the status that answers the head (400, 411, 501)
    std::string detail;
    Body body = Body::None;
    Poco::Int64 length = 0;  // for Body::Length
};

RequestFraming framingOf(const Poco::Net::HTTPRequest& head);

}  // namespace timhost
