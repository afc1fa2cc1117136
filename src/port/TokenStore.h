// Where issued tokens are recorded: every instance of a cluster sees the same registry, so a
// revocation anywhere holds everywhere.
#pragma once

#include <Poco/Timestamp.h>

#include <optional>
#include <string>
#include <vector>

namespace port {

struct IssuedToken {
    std::string jti;
    std::string subject;
    Poco::Timestamp issuedAt;
    Poco::Timestamp expiresAt;
    std::optional<Poco::Timestamp> revokedAt;
    std::string scope = "provisioning";  // or "metrics"
    std::string issuedBy;                // who asked for it (the audit's "by"), "" when unknown
    std::string label;                   // the operator's name for its holder, "" when none
    std::optional<Poco::Timestamp> lastUsedAt;  // to the minute; nullopt: never used
};

struct TokenStanding {
    bool revoked = false;
    bool subjectActive = false;  // the subject exists as an active system identity
    Poco::Timestamp expiresAt;
};

class TokenStore {
  public:
    virtual ~TokenStore() = default;

    // Records the token and its audit row (who, jti, scope, expiry) in one transaction.
    virtual void record(const IssuedToken& token) = 0;
    virtual std::optional<TokenStanding> standing(const std::string& jti) = 0;
    virtual std::vector<IssuedToken> list() = 0;
    // False when no token has this jti. Revoking twice keeps the first time; the revocation is
    // audited (`by`: who revoked it).
    virtual bool revoke(const std::string& jti, const Poco::Timestamp& at,
                        const std::string& by) = 0;

    // Notes that the token authenticated a request at `minute` (a whole minute): kept coarse,
    // so that a busy client costs one write a minute, not one per request.
    virtual void recordUse(const std::string& jti, const Poco::Timestamp& minute) = 0;
    // False when no token has this jti. Audited (`by`: who named it).
    virtual bool relabel(const std::string& jti, const std::string& label,
                         const std::string& by) = 0;

    // The shared HMAC signing key: the stored one, or `generated` stored now if there is none
    // (when several instances race, all end up with the first one stored).
    virtual std::string signingKey(const std::string& generated) = 0;
    // Replaces the signing key with `replacement` and revokes every token not yet revoked (each
    // was signed with the old key), in one transaction, audited; returns how many it revoked.
    virtual std::size_t replaceSigningKey(const std::string& replacement, const Poco::Timestamp& at,
                                          const std::string& by) = 0;
};

}  // namespace port
