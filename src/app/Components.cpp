#include "Components.h"

#include "tim/RoleCatalogue.h"

#include "Configuration.h"

#include "port/StoreErrors.h"
#include "tim/Passwords.h"
#include "tim/SystemIdentities.h"

namespace app {
namespace {

tim::AccountSettings readAccountSettings(const tim::Settings& settings,
                                         const tim::Duration& deletedRetention,
                                         Poco::Logger& logger) {
    tim::AccountSettings accounts;
    accounts.binding = tim::parseBindingMode(settings.string("scim.binding"));
    const std::string defaultPassword = settings.string(tim::kDefaultPasswordKey);
    if (defaultPassword.empty()) {
        logger.warning(std::string(tim::kDefaultPasswordKey) +
                       " is not set: users SCIM creates get no password until TIM sets one");
    } else {
        // One salted hash of the shared default: the value is a setting every admin knows.
        accounts.defaultPasswordHash = tim::hashPassword(defaultPassword);
    }
    // Entra re-creating what TIM deleted gets its memberships and roles back (the retention
    // bounds how old a snapshot may be).
    accounts.snapshotRetention = deletedRetention;
    accounts.roleReach =
        settings.boolean("scim.roles.nested") ? tim::RoleReach::Nested : tim::RoleReach::Direct;
    return accounts;
}

// The roles tim.properties lists applied to TIM's catalogue, and the recompute logged.
void applyConfiguredRoles(const tim::Settings& settings, port::AccountTransactions& transactions,
                          const tim::AccountService& accounts, Poco::Logger& logger) {
    // Protected roles join the internal ones: never granted by SCIM, and their unmanaged
    // holders are out of SCIM's reach.
    auto internalRoles = splitList(settings.string("scim.roles.internal"));
    for (const auto& role : splitList(settings.string("scim.binding.protectedRoles"))) {
        internalRoles.push_back(role);
    }
    const auto catalogue = tim::applyRoleCatalogue(
        transactions, accounts, splitList(settings.string("scim.roles.known")), internalRoles);
    if (catalogue.recomputed) {
        std::string roles;
        for (const auto& role : catalogue.roles) {
            roles += (roles.empty() ? "" : ", ") + role;
        }
        logger.information("role catalogue applied" +
                           (roles.empty() ? std::string(" (an earlier recompute finished)")
                                          : " (changed: " + roles + ")") +
                           ": grants of " + std::to_string(catalogue.accountsRecomputed) +
                           " role-group members and SCIM role holders recomputed, " +
                           std::to_string(catalogue.granted) + " granted, " +
                           std::to_string(catalogue.revoked) + " revoked (each in the audit)");
    }
}

}  // namespace

Components::Components(const Poco::Util::AbstractConfiguration& config, Poco::Logger& logger)
    : logger(logger) {
    const tim::Settings settings(config);
    api::ServiceSettings serviceSettings = readServiceSettings(settings);
    if (serviceSettings.publicUrl.empty()) {
        logger.warning(
            "scim.publicUrl is not set: locations (meta.location) are built from each request, "
            "with the host nginx forwards or a Host the host allows (http.allowedHosts), else "
            "the listen address; set it to the Tenant URL");
    }
    const store::DatabaseConfig databaseConfig = readDatabaseConfig(settings);
    const auth::TokenPolicy tokenPolicy = readTokenPolicy(settings);
    const int cacheSeconds = settings.integer("scim.token.cacheSeconds", 0, 3600);
    const std::string configuredKey = settings.string("scim.token.signingKey");
    const tim::Duration deletedRetention = readDeletedRetention(settings);
    api::RequestLimits limits = readRequestLimits(settings);
    limits.maxResults = static_cast<std::size_t>(serviceSettings.capabilities.filterMaxResults);
    const store::PurgePolicy purgePolicy = readPurgePolicy(settings);
    purgeIntervalMs = readPurgeIntervalMs(settings);

    signingKeyConfigured = !configuredKey.empty();
    database = std::make_unique<store::Database>(databaseConfig, logger);
    const std::size_t applied = database->migrate();
    logger.information("database " + databaseConfig.describe() + " ready (" +
                       std::to_string(applied) + " migration(s) applied now)");

    identities = std::make_unique<store::SqlIdentityStore>(*database);
    for (const auto& name : tim::setupSystemIdentities(*identities)) {
        logger.information("created the system identity " + name);
    }
    tokenStore = std::make_unique<store::SqlTokenStore>(*database);
    const std::string signingKey =
        configuredKey.empty() ? tokenStore->signingKey(auth::TokenService::generateSigningKey())
                              : configuredKey;
    tokens = std::make_unique<auth::TokenService>(tokenPolicy, signingKey, *tokenStore, clock,
                                                  Poco::Timespan(cacheSeconds, 0), logger);
    cursors = std::make_unique<auth::HmacCursorSeal>(
        signingKey, clock, serviceSettings.capabilities.cursorTimeoutSeconds);

    tim::AccountSettings accountSettings = readAccountSettings(settings, deletedRetention, logger);
    defaultPasswordSet = !accountSettings.defaultPasswordHash.empty();
    accountSettings.now = [this] { return clock.now(); };
    accountSettings.hashed = [this] { metrics.recordPasswordHash(); };
    accounts = std::make_unique<tim::AccountService>(std::move(accountSettings));
    snapshots = std::make_unique<store::Snapshots>(*database);
    snapshotRetention = deletedRetention;
    transactions = std::make_unique<store::SqlAccountTransactions>(*database);
    groupReads = std::make_unique<store::GroupRepository>(*database);
    groups = std::make_unique<tim::GroupService>(*transactions, *groupReads, *accounts);
    userReads = std::make_unique<store::UserRepository>(*database);
    users = std::make_unique<tim::UserService>(*transactions, *userReads, *accounts);
    audit = std::make_unique<store::AuditTrail>(*database);
    status = std::make_unique<store::SqlStatusReader>(*database);
    purger = std::make_unique<store::Purger>(*database, purgePolicy);
    applyConfiguredRoles(settings, *transactions, *accounts, logger);

    const std::string defaultVendor = settings.string("scim.vendor.default");
    usersEndpoint = std::make_unique<api::UsersEndpoint>(
        *users, api::UsersSettings{limits, defaultVendor, cursors.get()}, logger);
    groupsEndpoint = std::make_unique<api::GroupsEndpoint>(
        *groups, api::GroupsSettings{limits, defaultVendor, cursors.get()}, logger);
    // The resource types served: one row each (docs/architecture.md, "A new resource type").
    const api::ServedResources served({
        {usersEndpoint.get(), api::InBulk::WritesSecrets},
        {groupsEndpoint.get(), api::InBulk::Writes},
    });
    const auto& capabilities = serviceSettings.capabilities;
    bulkEndpoint = std::make_unique<api::BulkEndpoint>(
        api::BulkSettings{
            static_cast<std::size_t>(capabilities.bulkMaxOperations),
            static_cast<std::size_t>(capabilities.bulkMaxPayloadSize),
            static_cast<std::size_t>(settings.integer("scim.bulk.maxPasswordOperations", 0, 1000))},
        limits, served);
    rootSearch = std::make_unique<api::RootSearch>(served, limits);
    auth::TokenService& tokenService = *tokens;
    service = std::make_unique<api::ScimService>(
        std::move(serviceSettings),
        [&tokenService](const api::Request& request) {
            auth::TokenScope scope = auth::TokenScope::Provisioning;
            const auto why =
                tokenService.authenticate(request.headerValue("Authorization"), &scope);
            if (why != auth::Rejection::None) {
                return api::Verdict(api::Access::Denied, auth::describe(why), auth::labelOf(why));
            }
            return api::Verdict(scope == auth::TokenScope::Metrics ? api::Access::MetricsOnly
                                                                   : api::Access::Provisioning);
        },
        logger, served,
        api::Observability{&metrics, [this] { return databaseUsage(); },
                           [this] { return sharedFacts(); }},
        bulkEndpoint.get(), rootSearch.get());
}

port::DatabaseUsage Components::databaseUsage() const {
    port::DatabaseUsage usage;
    usage.pool = database->poolUsage();
    usage.groupCommits = transactions->commits().batches();
    usage.groupedWrites = transactions->commits().batchedWrites();
    return usage;
}

std::optional<port::SharedFacts> Components::sharedFacts() {
    std::lock_guard<std::mutex> lock(_factsMutex);
    if (!_factsRead.isElapsed(Poco::Timespan(kSharedFactsSeconds, 0).totalMicroseconds())) {
        return _facts;
    }
    _factsRead.update();
    try {
        port::SharedFacts facts;
        if (const auto last = purger->lastRun()) {
            facts.lastPurgeMs = last->epochMicroseconds() / 1000;
        }
        facts.liveTokens = status->liveTokens(port::kMostTokenSeries);
        _facts = facts;
    } catch (const port::StoreError&) {
        _facts.reset();
    }
    return _facts;
}

}  // namespace app
