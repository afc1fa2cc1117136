// The composition root: every object of the plugin, built from its settings in dependency
// order, owned here and nowhere else. Only this layer names concrete stores; the api sees
// them through their ports.
#pragma once

#include "api/GroupsEndpoint.h"
#include "api/Metrics.h"
#include "api/ScimService.h"
#include "api/UsersEndpoint.h"
#include "auth/HmacCursorSeal.h"
#include "auth/TokenService.h"
#include "store/accounts/AuditTrail.h"
#include "store/accounts/GroupRepository.h"
#include "store/accounts/Snapshots.h"
#include "store/accounts/SqlAccountTransactions.h"
#include "store/accounts/UserRepository.h"
#include "store/engine/Database.h"
#include "store/tokens/SqlIdentityStore.h"
#include "store/tokens/SqlTokenStore.h"
#include "store/upkeep/Purger.h"
#include "store/upkeep/SqlStatusReader.h"
#include "tim/AccountService.h"
#include "tim/Duration.h"
#include "tim/GroupService.h"
#include "tim/UserService.h"

#include <Poco/Logger.h>
#include <Poco/Timestamp.h>
#include <Poco/Util/AbstractConfiguration.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>

namespace app {

struct Components {
    // Throws Poco::Exception with a message an operator can act on (bad setting, database
    // unreachable, migration failed).
    Components(const Poco::Util::AbstractConfiguration& config, Poco::Logger& logger);

    Poco::Logger& logger;
    auth::SystemClock clock;
    api::Metrics metrics;  // before the service, which records into it
    std::unique_ptr<store::Database> database;
    std::unique_ptr<store::SqlIdentityStore> identities;
    std::unique_ptr<store::SqlTokenStore> tokenStore;
    std::unique_ptr<auth::TokenService> tokens;
    std::unique_ptr<auth::HmacCursorSeal> cursors;
    std::unique_ptr<tim::AccountService> accounts;  // before the use cases that apply its rules
    std::unique_ptr<store::SqlAccountTransactions> transactions;  // src/tim's use cases
    std::unique_ptr<store::GroupRepository> groupReads;
    std::unique_ptr<tim::GroupService> groups;
    std::unique_ptr<store::UserRepository> userReads;
    std::unique_ptr<tim::UserService> users;
    std::unique_ptr<store::AuditTrail> audit;
    std::unique_ptr<store::SqlStatusReader> status;
    std::unique_ptr<store::Purger> purger;
    std::unique_ptr<store::Snapshots> snapshots;
    std::optional<tim::Duration> snapshotRetention;
    std::uint64_t purgeIntervalMs = 3600000;
    bool defaultPasswordSet = false;    // initpass-x-others: users SCIM creates get a password
    bool signingKeyConfigured = false;  // scim.token.signingKey set: tim.properties holds it
    std::unique_ptr<api::UsersEndpoint> usersEndpoint;
    std::unique_ptr<api::GroupsEndpoint> groupsEndpoint;
    std::unique_ptr<api::BulkEndpoint> bulkEndpoint;
    std::unique_ptr<api::RootSearch> rootSearch;
    std::unique_ptr<api::ScimService> service;

    // For the metrics: the purge's and the tokens' facts from the database, read at most every
    // kSharedFactsSeconds (a scrape every few seconds must not query it each time, nor wait on
    // a frozen database each time), or nullopt while it cannot be asked (the metrics still
    // answer, without them).
    std::optional<port::SharedFacts> sharedFacts();
    // The pool at this moment and the group commits so far, for the metrics.
    port::DatabaseUsage databaseUsage() const;

  private:
    static constexpr int kSharedFactsSeconds = 30;
    std::mutex _factsMutex;
    std::optional<port::SharedFacts> _facts;
    Poco::Timestamp _factsRead{0};
};

}  // namespace app
