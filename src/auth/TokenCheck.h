// The checks a bearer token must pass, as pure functions: the Authorization header's shape
// and the JWT claims (Poco::JWT checks only the signature).
#pragma once

#include "TokenPolicy.h"

#include <Poco/JWT/Token.h>
#include <Poco/Timestamp.h>

#include <optional>
#include <string>

namespace auth {

// Keep kRejectionTexts (TokenCheck.cpp) in this order.
enum class Rejection {
    None,
    MissingHeader,
    MalformedHeader,
    MalformedToken,
    WrongAlgorithm,
    BadSignature,
    Expired,
    NotYetValid,
    WrongIssuer,
    WrongAudience,
    WrongSubject,
    MissingId,
    UnknownId,
    Revoked,
    SubjectDisabled,
};

// Why a token was refused, for the log (never contains the token).
const char* describe(Rejection rejection);

// The same as a metrics label ("bad_signature"): one of a fixed set.
const char* labelOf(Rejection rejection);

inline constexpr std::size_t kMaxTokenLength = 8192;

// The token of "Bearer <token>" (scheme case-insensitive), or nullopt when the header is
// missing, another scheme, empty, holds more than one token or characters no JWT has.
std::optional<std::string> bearerToken(const std::optional<std::string>& header, Rejection& why);

// The claims of a token whose signature is verified: exp (required), nbf and iat (with the
// policy's clock skew), iss, aud, sub and jti.
Rejection checkClaims(const Poco::JWT::Token& token, const TokenPolicy& policy,
                      const Poco::Timestamp& now);

}  // namespace auth
