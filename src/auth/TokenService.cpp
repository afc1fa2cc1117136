#include "TokenService.h"

#include "CompactJwt.h"
#include "scim/DateTime.h"

#include <Poco/Base64Encoder.h>
#include <Poco/Exception.h>
#include <Poco/RandomStream.h>
#include <Poco/UUIDGenerator.h>

#include <algorithm>
#include <cctype>
#include <sstream>

namespace auth {

TokenService::TokenService(TokenPolicy policy, const std::string& signingKey,
                           port::TokenStore& store, const Clock& clock, Poco::Timespan cacheTtl,
                           Poco::Logger& logger)
    : _policy(std::move(policy)),
      _signer(signingKey),
      _store(store),
      _clock(clock),
      _cacheTtl(cacheTtl),
      _logger(logger) {
    if (signingKey.size() < 32) {
        throw Poco::InvalidArgumentException(
            "scim.token.signingKey must be at least 32 characters long");
    }
    if (_policy.algorithm != Poco::JWT::Signer::ALGO_HS256 &&
        _policy.algorithm != Poco::JWT::Signer::ALGO_HS384 &&
        _policy.algorithm != Poco::JWT::Signer::ALGO_HS512) {
        throw Poco::InvalidArgumentException(
            "scim.token.algorithm must be HS256, HS384 or HS512, not \"" + _policy.algorithm +
            "\"");
    }
    _signer.setAlgorithms({_policy.algorithm});
    if (_cacheTtl.totalMilliseconds() > 0) {
        _verified = std::make_unique<Poco::ExpireLRUCache<std::string, Verified>>(
            1024, _cacheTtl.totalMilliseconds());
    }
}

std::string TokenService::generateSigningKey() {
    Poco::RandomInputStream random;
    char bytes[64];
    random.read(bytes, sizeof bytes);
    std::ostringstream text;
    Poco::Base64Encoder encoder(text);
    encoder.rdbuf()->setLineLength(0);
    encoder.write(bytes, sizeof bytes);
    encoder.close();
    return text.str();
}

const char* scopeName(TokenScope scope) {
    return scope == TokenScope::Metrics ? "metrics" : "provisioning";
}

std::optional<TokenScope> scopeNamed(const std::string& name) {
    for (const auto scope : {TokenScope::Provisioning, TokenScope::Metrics}) {
        if (name == scopeName(scope)) {
            return scope;
        }
    }
    return std::nullopt;
}

bool isValidTokenLabel(const std::string& label) {
    return !label.empty() && label.size() <= 64 &&
           std::all_of(label.begin(), label.end(), [](char c) {
               return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' ||
                      c == '-';
           });
}

void requireValidTokenLabel(const std::string& label) {
    if (!isValidTokenLabel(label)) {
        throw Poco::InvalidArgumentException(
            "a token label is 1 to 64 letters, digits, '.', '_' or '-'");
    }
}

std::string TokenService::issue(TokenScope scope, const std::string& issuedBy,
                                const std::string& label) {
    if (!label.empty()) {
        requireValidTokenLabel(label);
    }
    port::IssuedToken record;
    record.scope = scopeName(scope);
    record.issuedBy = issuedBy;
    record.label = label;
    record.jti = Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
    record.subject = _policy.subject;
    // JWT times are whole seconds.
    record.issuedAt = Poco::Timestamp::fromEpochTime(_clock.now().epochTime());
    record.expiresAt = _policy.lifetime.after(record.issuedAt);

    Poco::JWT::Token token;
    token.setType("JWT");
    token.setId(record.jti);
    token.setIssuer(_policy.issuer);
    token.setAudience(_policy.audience);
    token.setSubject(record.subject);
    token.setIssuedAt(record.issuedAt);
    token.setExpiration(record.expiresAt);
    token.payload().set("scope", record.scope);
    const std::string jwt = _signer.sign(token, _policy.algorithm);
    _store.record(record);
    _logger.information("issued a %s bearer token for %s: jti %s, label %s, expires %s",
                        record.scope, record.subject, record.jti,
                        label.empty() ? std::string("-") : label,
                        scim::formatDateTime(record.expiresAt));
    return jwt;
}

Rejection TokenService::authenticate(const std::optional<std::string>& authorizationHeader,
                                     TokenScope* scope) {
    Rejection why = Rejection::None;
    Verified granted;
    const auto jwt = bearerToken(authorizationHeader, why);
    if (jwt) {
        why = verify(*jwt, granted);
    }
    if (why != Rejection::None) {
        return why;  // the api logs the refusal, throttled per client address
    }
    if (scope != nullptr) {
        *scope = granted.scope;
    }
    noteUse(granted.jti);
    return why;
}

// The store learns of a token's use once a minute per instance: "last used" for operators,
// not a write per request.
void TokenService::noteUse(const std::string& jti) {
    const Poco::Int64 minute = _clock.now().epochTime() / 60;
    {
        std::lock_guard<std::mutex> lock(_usesMutex);
        auto& noted = _lastNotedUse[jti];  // verified tokens only: bounded by what was issued
        if (noted == minute) {
            return;
        }
        noted = minute;
    }
    try {
        _store.recordUse(jti,
                         Poco::Timestamp::fromEpochTime(static_cast<std::time_t>(minute * 60)));
    } catch (const std::exception& e) {
        // The request goes on: a missed "last used" is worth a line, not a refusal.
        _logger.warning("could not record the use of token %s: %s", jti, std::string(e.what()));
    }
}

Rejection TokenService::verify(const std::string& jwt, Verified& granted) {
    const Poco::Timestamp now = _clock.now();
    if (_verified) {
        const auto verified = _verified->get(jwt);
        if (verified && now < verified->expires + _policy.clockSkew.totalMicroseconds()) {
            granted = *verified;
            return Rejection::None;
        }
    }

    const auto compact = splitCanonical(jwt);
    if (!compact) {
        return Rejection::MalformedToken;
    }
    Poco::JWT::Token token;
    try {
        token = Poco::JWT::Token(jwt);  // reads header and claims, checks nothing
    } catch (const Poco::Exception&) {
        return Rejection::MalformedToken;
    }
    // Only the configured algorithm verifies: "none" and every other one are refused.
    if (!token.header().get(Poco::JWT::Token::CLAIM_ALGORITHM).isString() ||
        token.getAlgorithm() != _policy.algorithm) {
        return Rejection::WrongAlgorithm;
    }
    if (!constantTimeEquals(hmac(_policy.algorithm, _signer.getHMACKey(), compact->signingInput),
                            compact->signature)) {
        return Rejection::BadSignature;
    }
    Rejection why = Rejection::None;
    try {
        why = checkClaims(token, _policy, now);
    } catch (const Poco::Exception&) {
        return Rejection::MalformedToken;  // a claim of the wrong JSON type
    }
    if (why != Rejection::None) {
        return why;
    }
    // A token without the claim predates scopes: a provisioning token.
    const auto claimed = token.payload().get("scope");
    const auto named = claimed.isEmpty()    ? std::optional<TokenScope>(TokenScope::Provisioning)
                       : claimed.isString() ? scopeNamed(claimed.toString())
                                            : std::nullopt;
    if (!named) {
        return Rejection::MalformedToken;
    }

    const auto standing = _store.standing(token.getId());
    if (!standing) {
        return Rejection::UnknownId;
    }
    if (standing->revoked) {
        return Rejection::Revoked;
    }
    if (now >= standing->expiresAt + _policy.clockSkew.totalMicroseconds()) {
        return Rejection::Expired;
    }
    if (!standing->subjectActive) {
        return Rejection::SubjectDisabled;
    }
    granted = Verified{std::min(token.getExpiration(), standing->expiresAt), *named, token.getId()};
    if (_verified) {
        _verified->add(jwt, granted);
    }
    return Rejection::None;
}

}  // namespace auth
