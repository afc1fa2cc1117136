// What a valid sys.scim bearer token looks like, from configuration.
#pragma once

#include "tim/Duration.h"
#include "tim/SystemIdentities.h"

#include <Poco/Timespan.h>

#include <optional>
#include <string>

namespace auth {

inline constexpr const char* kTokenLifetimeKey = "jwtAccessTokenExpirationTimeScim";

// What a token may do: provision (every SCIM resource, the metrics too) or only read the
// metrics (a Prometheus job's token).
enum class TokenScope { Provisioning, Metrics };

// "provisioning" or "metrics": the JWT's scope claim and the stored scope.
const char* scopeName(TokenScope scope);
// nullopt for a name that is neither.
std::optional<TokenScope> scopeNamed(const std::string& name);

// A token's label names its holder ("entra", "prometheus"): 1 to 64 of A-Z a-z 0-9 . _ -, so
// that it is safe in a log line, a table column and a metric label as it is.
bool isValidTokenLabel(const std::string& label);
// Throws Poco::InvalidArgumentException saying what a label may be, unless isValidTokenLabel.
void requireValidTokenLabel(const std::string& label);

struct TokenPolicy {
    std::string issuer = "tim";
    std::string audience = "tim-scim";
    std::string algorithm = "HS256";  // the only one accepted
    std::string subject = tim::kScimIdentity;
    tim::Duration lifetime;
    Poco::Timespan clockSkew = Poco::Timespan(60, 0);
};

}  // namespace auth
