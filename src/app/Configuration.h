// The plugin's tim.properties keys read into the settings of each part. Every reader throws
// Poco::InvalidArgumentException naming the bad key.
#pragma once

#include "api/RequestLimits.h"
#include "api/ScimService.h"
#include "auth/TokenPolicy.h"
#include "store/engine/Database.h"
#include "store/upkeep/Purger.h"
#include "tim/Duration.h"
#include "tim/Settings.h"

#include <cstdint>
#include <string>
#include <vector>

namespace app {

// "a, b,,c" -> {"a", "b", "c"}.
std::vector<std::string> splitList(const std::string& text);

// The scim.db.* keys.
store::DatabaseConfig readDatabaseConfig(const tim::Settings& settings);

// scim.basePath, scim.publicUrl and the capabilities the service advertises.
api::ServiceSettings readServiceSettings(const tim::Settings& settings);

// jwtAccessTokenExpirationTimeScim and the scim.token.* keys.
auth::TokenPolicy readTokenPolicy(const tim::Settings& settings);

// The scim.limits.* keys (maxResults comes with the service settings).
api::RequestLimits readRequestLimits(const tim::Settings& settings);

// The scim.purge.* retentions and batch size, and scim.audit.retention.
store::PurgePolicy readPurgePolicy(const tim::Settings& settings);
tim::Duration readDeletedRetention(const tim::Settings& settings);
std::uint64_t readPurgeIntervalMs(const tim::Settings& settings);

}  // namespace app
