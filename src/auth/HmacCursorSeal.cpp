#include "HmacCursorSeal.h"

#include "CompactJwt.h"

#include <Poco/NumberParser.h>

namespace auth {
namespace {

const char* const kAlgorithm = "HS256";

// A key of its own for cursors: a cursor's MAC can never pass for a token's signature.
std::string cursorKey(const std::string& signingKey) {
    const auto derived = hmac(kAlgorithm, signingKey, "tim-scim cursor key v1");
    return std::string(derived.begin(), derived.end());
}

Poco::Int64 seconds(const Clock& clock) {
    return clock.now().epochMicroseconds() / 1000000;
}

}  // namespace

HmacCursorSeal::HmacCursorSeal(const std::string& signingKey, const Clock& clock,
                               int timeoutSeconds)
    : _key(cursorKey(signingKey)), _clock(clock), _timeoutSeconds(timeoutSeconds) {}

std::string HmacCursorSeal::seal(const std::string& content) const {
    const std::string body = base64Url(std::to_string(seconds(_clock)) + "|" + content);
    const auto mac = hmac(kAlgorithm, _key, body);
    return body + "." + base64Url(std::string(mac.begin(), mac.end()));
}

port::CursorSeal::Opened HmacCursorSeal::open(const std::string& cursor) const {
    const auto dot = cursor.find('.');
    if (dot == std::string::npos) {
        return {};
    }
    const std::string body = cursor.substr(0, dot);
    const auto bytes = canonicalBase64Url(body);
    const auto mac = canonicalBase64Url(cursor.substr(dot + 1));
    if (!bytes || !mac ||
        !constantTimeEquals(hmac(kAlgorithm, _key, body),
                            std::vector<unsigned char>(mac->begin(), mac->end()))) {
        return {};
    }
    const auto bar = bytes->find('|');
    Poco::Int64 issued = 0;
    if (bar == std::string::npos ||
        !Poco::NumberParser::tryParse64(bytes->substr(0, bar), issued)) {
        return {};
    }
    const Poco::Int64 age = seconds(_clock) - issued;
    if (age > _timeoutSeconds) {
        return {Verdict::Expired, ""};
    }
    return {Verdict::Valid, bytes->substr(bar + 1)};
}

}  // namespace auth
