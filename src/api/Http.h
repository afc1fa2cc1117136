// The request and response the endpoints see: plain values, no host or Poco HTTP objects.
#pragma once

#include "scim/ScimError.h"

#include <Poco/JSON/Object.h>

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace api {

// What reading a request body from the host gave.
struct ReceivedBody {
    enum class Outcome { Complete, TooLarge, Incomplete };
    Outcome outcome = Outcome::Complete;
    std::string text;
};

struct Request {
    std::string method;
    std::string path;           // as received (percent-encoded), without the query
    std::string query;          // raw, without '?'
    std::string clientAddress;  // as the host tells it; "" from a host older than ABI 1.1
    std::string origin;         // "scheme://authority" the client addressed; "" likewise
    std::function<std::optional<std::string>(const std::string&)> header;
    // Reads the body from the host; called at most once, by body(). Nothing reads a body
    // before the token is checked, so a refused client never gets one buffered.
    std::function<ReceivedBody()> readBody;

    std::optional<std::string> headerValue(const std::string& name) const {
        return header ? header(name) : std::nullopt;
    }

    // The body, read on first use. Throws 413 past the host's limit and 400 when the client
    // did not deliver it whole.
    const std::string& body() const;

  private:
    mutable std::optional<std::string> _body;
};

struct Response {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::string scimType;  // of an error response, for the access log

    // A SCIM resource or list: application/scim+json.
    static Response json(int status, const Poco::JSON::Object::Ptr& document);
    static Response error(const scim::ScimError& error);
};

}  // namespace api
