// The plugin's C++ core, assembled from configuration: settings, database (migrated), system
// identities, bearer tokens and the SCIM service. Knows nothing of the C ABI; plugin/ adapts it.
#pragma once

#include "api/ScimService.h"
#include "auth/TokenService.h"
#include "store/Database.h"
#include "store/GroupRepository.h"
#include "store/Purger.h"
#include "store/Snapshots.h"
#include "store/SqlIdentityStore.h"
#include "store/SqlTokenStore.h"
#include "store/UserRepository.h"
#include "tim/AccountService.h"
#include "tim/Settings.h"

#include <Poco/Logger.h>
#include <Poco/Util/AbstractConfiguration.h>

#include <memory>
#include <optional>
#include <string>

namespace api {

// Reads the scim.db.* keys; throws Poco::InvalidArgumentException naming a bad key.
store::DatabaseConfig readDatabaseConfig(const tim::Settings& settings);

// Reads scim.basePath and the capabilities the service advertises.
ServiceSettings readServiceSettings(const tim::Settings& settings);

// Reads jwtAccessTokenExpirationTimeScim and the scim.token.* keys.
auth::TokenPolicy readTokenPolicy(const tim::Settings& settings);

class PluginCore {
  public:
    // Throws Poco::Exception with a message an operator can act on (bad setting, database
    // unreachable, migration failed).
    PluginCore(const Poco::Util::AbstractConfiguration& config, Poco::Logger& logger);

    const ScimService& service() const { return *_service; }
    store::Database& database() { return *_database; }

    // Admin commands; each returns what the command prints.
    std::string describeMigrations();  // "0001_schema_version.sql  <applied>  <checksum>"
    std::string setupIdentities();     // what "Setup System Identities" did
    std::string generateToken();       // the bearer token and a newline, nothing else
    std::string listTokens();          // jti, issued, expires, state; never a token
    std::string describeRoles();       // the role catalogue and each role's holders
    // The audit of one user or group (by id, userName, displayName or externalId), or with
    // "--latest" the newest writes; args: WHO [N] or --latest [N].
    std::string describeAudit(const std::vector<std::string>& args);
    std::string runPurge();  // purges now; the counts
    // TIM's own deletions (its UI), which keep a snapshot for the retention.
    std::string deleteUserInTim(const std::string& id);
    std::string deleteGroupInTim(const std::string& id);
    // A user as TIM's own UI creates one (unmanaged): USERNAME [--email E] [--roles r1,r2].
    std::string createLocalUser(const std::vector<std::string>& args);
    std::string describeStatus();  // users, groups, role groups, tokens, purge

    // Whether `e` is a failure a later try may get past (database down, restarting or busy).
    static bool isTransient(const Poco::Exception& e);

    // How often the host runs the purge task (scim.purge.intervalSeconds).
    std::uint64_t purgeIntervalMs() const { return _purgeIntervalMs; }
    // Throws Poco::NotFoundException for an unknown jti.
    std::string revokeToken(const std::string& jti);

  private:
    Poco::Logger& _logger;
    auth::SystemClock _clock;
    Metrics _metrics;  // before the service, which records into it
    std::unique_ptr<store::Database> _database;
    std::unique_ptr<store::SqlIdentityStore> _identities;
    std::unique_ptr<store::SqlTokenStore> _tokenStore;
    std::unique_ptr<auth::TokenService> _tokens;
    std::unique_ptr<tim::AccountService> _accounts;  // before the stores that run its rules
    std::unique_ptr<store::UserRepository> _userRepository;
    std::unique_ptr<UsersEndpoint> _users;
    std::unique_ptr<store::GroupRepository> _groupRepository;
    std::unique_ptr<GroupsEndpoint> _groups;
    std::unique_ptr<store::Purger> _purger;
    std::unique_ptr<store::Snapshots> _snapshots;
    std::optional<tim::Duration> _snapshotRetention;
    std::uint64_t _purgeIntervalMs = 3600000;
    std::unique_ptr<ScimService> _service;
};

}  // namespace api
