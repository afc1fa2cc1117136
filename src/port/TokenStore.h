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

    // The shared HMAC signing key: the stored one, or `generated` stored now if there is none
    // (when several instances race, all end up with the first one stored).
    virtual std::string signingKey(const std::string& generated) = 0;
};

}  // namespace port
