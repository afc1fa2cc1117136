// What a valid sys.scim bearer token looks like, from configuration.
#pragma once

#include "tim/Duration.h"
#include "tim/SystemIdentities.h"

#include <Poco/Timespan.h>

#include <string>

namespace auth {

inline constexpr const char* kTokenLifetimeKey = "jwtAccessTokenExpirationTimeScim";

struct TokenPolicy {
    std::string issuer = "tim";
    std::string audience = "tim-scim";
    std::string algorithm = "HS256";  // the only one accepted
    std::string subject = tim::kScimIdentity;
    tim::Duration lifetime;
    Poco::Timespan clockSkew = Poco::Timespan(60, 0);
};

}  // namespace auth
