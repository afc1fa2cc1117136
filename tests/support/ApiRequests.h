// api::Request as a client would send it below the default base path, for tests of the service
// without HTTP.
#pragma once

#include "api/Http.h"

#include <Poco/String.h>

#include <map>
#include <string>

namespace testing {

// `target`: the path below /tim/api/scim with its query string ("/Users?count=1").
inline api::Request apiRequest(const std::string& method, const std::string& target,
                               const std::string& body = "",
                               const std::map<std::string, std::string>& headers = {}) {
    api::Request r;
    r.method = method;
    const auto question = target.find('?');
    r.path = "/tim/api/scim" + target.substr(0, question);
    r.query = question == std::string::npos ? "" : target.substr(question + 1);
    r.header = [headers](const std::string& name) -> std::optional<std::string> {
        for (const auto& [key, value] : headers) {
            if (Poco::icompare(key, name) == 0) {
                return value;
            }
        }
        return std::nullopt;
    };
    r.readBody = [body] { return api::ReceivedBody{api::ReceivedBody::Outcome::Complete, body}; };
    return r;
}

}  // namespace testing
