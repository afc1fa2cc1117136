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

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace auth {

class TokenService {
  public:
    // `signingKey` must be at least 32 bytes. `cacheTtl` bounds how long a verified token
    // is trusted without asking the store again (and so how late a revocation takes effect);
    // zero disables the cache.
    TokenService(TokenPolicy policy, const std::string& signingKey, port::TokenStore& store,
                 const Clock& clock, Poco::Timespan cacheTtl, Poco::Logger& logger);

    // Signs and records (audited) a new token for the policy's subject with `scope`; returns
    // the compact JWT. `issuedBy`: who asked, for the audit.
    // `label`: "" or isValidTokenLabel (else Poco::InvalidArgumentException).
    std::string issue(TokenScope scope = TokenScope::Provisioning, const std::string& issuedBy = "",
                      const std::string& label = "");

    // Rejection::None when the Authorization header carries a token this server issued,
    // unexpired, unrevoked, for an active sys.scim; then `scope`, if given, is set to what the
    // token may do. Logs nothing: the caller logs a refusal (describe(), never the token).
    Rejection authenticate(const std::optional<std::string>& authorizationHeader,
                           TokenScope* scope = nullptr);

    const TokenPolicy& policy() const { return _policy; }

    // A random key for HMAC signing (64 bytes, base64).
    static std::string generateSigningKey();

  private:
    struct Verified {
        Poco::Timestamp expires;
        TokenScope scope = TokenScope::Provisioning;
        std::string jti;
    };
    Rejection verify(const std::string& jwt, Verified& granted);
    void noteUse(const std::string& jti);

    const TokenPolicy _policy;
    Poco::JWT::Signer _signer;
    port::TokenStore& _store;
    const Clock& _clock;
    const Poco::Timespan _cacheTtl;
    Poco::Logger& _logger;
    // token -> its exp claim and scope, for tokens verified in full within the last cacheTtl
    std::unique_ptr<Poco::ExpireLRUCache<std::string, Verified>> _verified;
    std::mutex _usesMutex;
    std::map<std::string, Poco::Int64> _lastNotedUse;  // jti -> minute (since the epoch) written
};

}  // namespace auth
