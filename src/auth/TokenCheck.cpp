#include "TokenCheck.h"

#include <Poco/Exception.h>
#include <Poco/String.h>

#include <algorithm>
#include <cctype>
#include <iterator>

namespace auth {

namespace {

struct RejectionText {
    const char* label;
    const char* description;
};

// In the order of Rejection.
constexpr RejectionText kRejectionTexts[] = {
    {"none", "accepted"},
    {"missing_header", "no Authorization header"},
    {"malformed_header", "Authorization is not one Bearer token"},
    {"malformed_token", "the token is not a well-formed JWT"},
    {"wrong_algorithm", "the token's algorithm is not the configured one"},
    {"bad_signature", "the token's signature does not verify"},
    {"expired", "the token has expired"},
    {"not_yet_valid", "the token is not valid yet"},
    {"wrong_issuer", "the token has another issuer"},
    {"wrong_audience", "the token is for another audience"},
    {"wrong_subject", "the token is not for sys.scim"},
    {"missing_id", "the token has no jti"},
    {"unknown_id", "the token's jti was never issued here"},
    {"revoked", "the token was revoked"},
    {"subject_disabled", "sys.scim is missing or disabled"},
};
static_assert(std::size(kRejectionTexts) ==
                  static_cast<std::size_t>(Rejection::SubjectDisabled) + 1,
              "one text per Rejection");

const RejectionText& textOf(Rejection rejection) {
    return kRejectionTexts[static_cast<std::size_t>(rejection)];
}

}  // namespace

const char* describe(Rejection rejection) {
    return textOf(rejection).description;
}

const char* labelOf(Rejection rejection) {
    return textOf(rejection).label;
}

namespace {

bool isTokenChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
           c == '=';
}

bool hasClaim(const Poco::JWT::Token& token, const std::string& claim) {
    return token.payload().has(claim) && !token.payload().isNull(claim);
}

// A NumericDate claim (RFC 7519 §2); nullopt when it is not a number.
std::optional<Poco::Timestamp> numericDate(const Poco::JWT::Token& token,
                                           const std::string& claim) {
    const Poco::Dynamic::Var value = token.payload().get(claim);
    if (!value.isNumeric()) {
        return std::nullopt;
    }
    const double seconds = value.convert<double>();
    if (seconds < 0 || seconds > 253402300799.0) {  // beyond year 9999
        return std::nullopt;
    }
    return Poco::Timestamp(static_cast<Poco::Timestamp::TimeVal>(seconds * 1000000.0));
}

}  // namespace

std::optional<std::string> bearerToken(const std::optional<std::string>& header, Rejection& why) {
    if (!header) {
        why = Rejection::MissingHeader;
        return std::nullopt;
    }
    why = Rejection::MalformedHeader;
    const std::string value = Poco::trim(*header);
    constexpr std::size_t kScheme = 6;  // "Bearer"
    if (value.size() <= kScheme + 1 || Poco::icompare(value.substr(0, kScheme), "bearer") != 0 ||
        (value[kScheme] != ' ' && value[kScheme] != '\t')) {
        return std::nullopt;
    }
    const std::string token = Poco::trimLeft(value.substr(kScheme + 1));
    if (token.empty() || token.size() > kMaxTokenLength ||
        !std::all_of(token.begin(), token.end(), isTokenChar)) {
        return std::nullopt;  // also catches "Bearer a b" and "Bearer a, Bearer b"
    }
    why = Rejection::None;
    return token;
}

Rejection checkClaims(const Poco::JWT::Token& token, const TokenPolicy& policy,
                      const Poco::Timestamp& now) {
    const Poco::Timespan skew = policy.clockSkew;
    if (!hasClaim(token, Poco::JWT::Token::CLAIM_EXPIRATION)) {
        return Rejection::Expired;  // a bearer token without an end is never accepted
    }
    const auto expires = numericDate(token, Poco::JWT::Token::CLAIM_EXPIRATION);
    if (!expires || now >= *expires + skew.totalMicroseconds()) {
        return Rejection::Expired;
    }
    for (const auto* claim :
         {&Poco::JWT::Token::CLAIM_NOT_BEFORE, &Poco::JWT::Token::CLAIM_ISSUED_AT}) {
        if (hasClaim(token, *claim)) {
            const auto notBefore = numericDate(token, *claim);
            if (!notBefore || now + skew.totalMicroseconds() < *notBefore) {
                return Rejection::NotYetValid;
            }
        }
    }
    if (!token.payload().get(Poco::JWT::Token::CLAIM_ISSUER).isString() ||
        token.getIssuer() != policy.issuer) {
        return Rejection::WrongIssuer;
    }
    const auto audiences = token.getAudience();
    if (std::find(audiences.begin(), audiences.end(), policy.audience) == audiences.end()) {
        return Rejection::WrongAudience;
    }
    if (!token.payload().get(Poco::JWT::Token::CLAIM_SUBJECT).isString() ||
        token.getSubject() != policy.subject) {
        return Rejection::WrongSubject;
    }
    if (!token.payload().get(Poco::JWT::Token::CLAIM_JWT_ID).isString() || token.getId().empty()) {
        return Rejection::MissingId;
    }
    return Rejection::None;
}

}  // namespace auth
