// Issues and verifies the bearer tokens of sys.scim: JWTs signed with Poco::JWT, recorded in
// the token store, checked on every SCIM request.
#pragma once

#include "Clock.h"
#include "TokenCheck.h"
#include "TokenPolicy.h"
#include "port/TokenStore.h"

#include <Poco/ExpireLRUCache.h>
#include <Poco/JWT/Signer.h>
#include <Poco/Logger.h>

#include <memory>
#include <string>

namespace auth {

class TokenService {
  public:
    // `signingKey` must be at least 32 bytes. `cacheTtl` bounds how long a verified token
    // is trusted without asking the store again (and so how late a revocation takes effect);
    // zero disables the cache.
    TokenService(TokenPolicy policy, const std::string& signingKey, port::TokenStore& store,
                 const Clock& clock, Poco::Timespan cacheTtl, Poco::Logger& logger);

    // Signs and records a new token for the policy's subject; returns the compact JWT.
    std::string issue();

    // Rejection::None when the Authorization header carries a token this server issued,
    // unexpired, unrevoked, for an active sys.scim. Logs the reason of a refusal (never
    // the token).
    Rejection authenticate(const std::optional<std::string>& authorizationHeader);

    const TokenPolicy& policy() const { return _policy; }

    // A random key for HMAC signing (64 bytes, base64).
    static std::string generateSigningKey();

  private:
    Rejection verify(const std::string& jwt);

    const TokenPolicy _policy;
    Poco::JWT::Signer _signer;
    port::TokenStore& _store;
    const Clock& _clock;
    const Poco::Timespan _cacheTtl;
    Poco::Logger& _logger;
    // token -> its exp claim, for tokens verified in full within the last cacheTtl
    std::unique_ptr<Poco::ExpireLRUCache<std::string, Poco::Timestamp>> _verified;
};

}  // namespace auth
