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

struct Request {
    std::string method;
    std::string path;   // as received (percent-encoded), without the query
    std::string query;  // raw, without '?'
    std::function<std::optional<std::string>(const std::string&)> header;
    std::string body;

    std::optional<std::string> headerValue(const std::string& name) const {
        return header ? header(name) : std::nullopt;
    }
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
