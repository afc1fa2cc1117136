#include "RequestLog.h"

#include "port/Ids.h"

#include "port/RequestContext.h"

#include <Poco/NumberFormatter.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>

#include <algorithm>
#include <cctype>

namespace api {

const std::string& currentRequestId() {
    return port::currentRequestId();
}

namespace {

bool isPlainToken(const std::string& text) {
    return !text.empty() && text.size() <= 64 &&
           std::all_of(text.begin(), text.end(), [](unsigned char c) {
               return std::isalnum(c) || c == '.' || c == '_' || c == '-';
           });
}

bool maySecret(const std::string& parameter) {
    const std::string name = Poco::toLower(parameter);
    for (const char* sign : {"token", "password", "secret", "key"}) {
        if (name.find(sign) != std::string::npos) {
            return true;
        }
    }
    return false;
}

}  // namespace

std::string requestIdOf(const Request& request) {
    const auto sent = request.headerValue("X-Request-Id");
    if (sent && isPlainToken(*sent)) {
        return *sent;
    }
    // 16 hex digits of a random UUID: unique enough to find one request's lines.
    std::string id = port::newId();
    id.erase(std::remove(id.begin(), id.end(), '-'), id.end());
    return id.substr(0, 16);
}

std::string loggableTarget(const std::string& path, const std::string& query) {
    if (query.empty()) {
        return path;
    }
    std::string target = path + "?";
    const Poco::StringTokenizer parameters(query, "&");
    for (std::size_t i = 0; i < parameters.count(); ++i) {
        const std::string& parameter = parameters[i];
        const auto equals = parameter.find('=');
        const std::string name = parameter.substr(0, equals);
        target += (i > 0 ? "&" : "") +
                  (equals != std::string::npos && maySecret(name) ? name + "=***" : parameter);
    }
    return target;
}

std::string withoutPasswords(const std::string& text) {
    static const std::string key = "password=";
    const std::string lower = Poco::toLower(text);
    std::string out;
    std::size_t from = 0;
    for (std::size_t at = lower.find(key); at != std::string::npos; at = lower.find(key, from)) {
        const std::size_t value = at + key.size();
        std::size_t end = text.find_first_of("; \t\n'\"", value);
        end = end == std::string::npos ? text.size() : end;
        out += text.substr(from, value - from) + "***";
        from = end;
    }
    return out + text.substr(from);
}

std::string loggableClient(const Request& request) {
    return request.clientAddress.empty() ? "-" : request.clientAddress;
}

std::string accessLine(const Request& request, const Response& response, double milliseconds) {
    return "access " + request.method + " " + loggableTarget(request.path, request.query) + " " +
           std::to_string(response.status) +
           " scimType=" + (response.scimType.empty() ? "-" : response.scimType) + " " +
           Poco::NumberFormatter::format(milliseconds, 1) + "ms " +
           std::to_string(response.body.size()) + "B client=" + loggableClient(request);
}

}  // namespace api
