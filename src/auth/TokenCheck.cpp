#include "TokenCheck.h"

#include <Poco/Exception.h>
#include <Poco/String.h>

#include <algorithm>
#include <cctype>

namespace auth {

const char* describe(Rejection rejection) {
    switch (rejection) {
        case Rejection::None:
            return "accepted";
        case Rejection::MissingHeader:
            return "no Authorization header";
        case Rejection::MalformedHeader:
            return "Authorization is not one Bearer token";
        case Rejection::MalformedToken:
            return "the token is not a well-formed JWT";
        case Rejection::WrongAlgorithm:
            return "the token's algorithm is not the configured one";
        case Rejection::BadSignature:
            return "the token's signature does not verify";
        case Rejection::Expired:
            return "the token has expired";
        case Rejection::NotYetValid:
            return "the token is not valid yet";
        case Rejection::WrongIssuer:
            return "the token has another issuer";
        case Rejection::WrongAudience:
            return "the token is for another audience";
        case Rejection::WrongSubject:
            return "the token is not for sys.scim";
        case Rejection::MissingId:
            return "the token has no jti";
        case Rejection::UnknownId:
            return "the token's jti was never issued here";
        case Rejection::Revoked:
            return "the token was revoked";
        case Rejection::SubjectDisabled:
            return "sys.scim is missing or disabled";
    }
    return "unknown";
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
