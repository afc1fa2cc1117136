#include "PluginCore.h"

#include "store/AuditTrail.h"
#include "store/MigrationRunner.h"
#include "store/Retry.h"

#include "scim/DateTime.h"
#include "tim/Passwords.h"
#include "tim/SystemIdentities.h"

#include <Poco/NumberParser.h>
#include <Poco/Path.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>

namespace api {
namespace {

// A retention setting: a duration (d/w/m/y), or "never" (nullopt: kept for good).
std::optional<store::Retention> retentionOrNever(const tim::Settings& settings,
                                                 const std::string& key) {
    const std::string text = settings.string(key);
    if (Poco::icompare(text, "never") == 0) {
        return std::nullopt;
    }
    return tim::Duration::parse(text, key).expiry();
}

}  // namespace

store::DatabaseConfig readDatabaseConfig(const tim::Settings& settings) {
    store::DatabaseConfig config;
    config.engine = store::parseEngine(settings.string("scim.db.connector"));
    config.file = settings.string("scim.db.file");
    if (config.file.empty() && !settings.string("data.dir").empty()) {
        config.file =
            Poco::Path(Poco::Path::forDirectory(settings.string("data.dir")), "tim-scim.db")
                .toString();
    }
    config.synchronous = settings.string("scim.db.sqlite.synchronous");
    config.busyTimeoutMs = settings.integer("scim.db.sqlite.busyTimeoutMs", 0, 600000);
    config.host = settings.string("scim.db.host");
    config.port = settings.integer("scim.db.port", 1, 65535);
    config.name = settings.string("scim.db.name");
    config.user = settings.string("scim.db.user");
    config.password = settings.string("scim.db.password");
    config.lockWaitSeconds = settings.integer("scim.db.lockWaitSeconds", 1, 3600);
    config.timeoutSeconds = settings.integer("scim.db.timeoutSeconds", 1, 3600);
    if (config.timeoutSeconds <= config.lockWaitSeconds) {
        throw Poco::InvalidArgumentException(
            "scim.db.timeoutSeconds must exceed scim.db.lockWaitSeconds");
    }
    config.poolMin = settings.integer("scim.db.pool.min", 0, 1000);
    config.poolMax = settings.integer("scim.db.pool.max", 1, 1000);
    config.poolIdleSeconds = settings.integer("scim.db.pool.idleSeconds", 1, 86400);
    if (config.poolMin > config.poolMax) {
        throw Poco::InvalidArgumentException("scim.db.pool.min must not exceed scim.db.pool.max");
    }
    return config;
}

ServiceSettings readServiceSettings(const tim::Settings& settings) {
    ServiceSettings service;
    service.basePath = settings.string("scim.basePath");
    while (service.basePath.size() > 1 && service.basePath.back() == '/') {
        service.basePath.pop_back();
    }
    if (service.basePath.empty() || service.basePath[0] != '/' || service.basePath == "/") {
        throw Poco::InvalidArgumentException(
            "scim.basePath must be a path below the root, such as /tim/api/scim");
    }
    service.publicUrl = settings.string("scim.publicUrl");
    while (!service.publicUrl.empty() && service.publicUrl.back() == '/') {
        service.publicUrl.pop_back();
    }
    service.capabilities.filterMaxResults = settings.integer("scim.maxResults", 1, 100000);
    service.accessLog = settings.boolean("scim.log.access");
    service.metricsPublic = settings.boolean("scim.metrics.public");
    service.capabilities.patch = true;
    service.capabilities.filter = true;
    service.capabilities.sort = true;
    service.capabilities.etag = true;
    return service;
}

namespace {

std::vector<std::string> splitList(const std::string& text) {
    std::vector<std::string> items;
    Poco::StringTokenizer tokens(
        text, ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
    items.assign(tokens.begin(), tokens.end());
    return items;
}

}  // namespace

auth::TokenPolicy readTokenPolicy(const tim::Settings& settings) {
    auth::TokenPolicy policy;
    policy.lifetime =
        tim::Duration::parse(settings.string(auth::kTokenLifetimeKey), auth::kTokenLifetimeKey);
    policy.algorithm = settings.string("scim.token.algorithm");
    policy.issuer = settings.string("scim.token.issuer");
    policy.audience = settings.string("scim.token.audience");
    policy.clockSkew = Poco::Timespan(settings.integer("scim.token.clockSkewSeconds", 0, 3600), 0);
    if (policy.issuer.empty() || policy.audience.empty()) {
        throw Poco::InvalidArgumentException(
            "scim.token.issuer and scim.token.audience must not be empty");
    }
    return policy;
}

PluginCore::PluginCore(const Poco::Util::AbstractConfiguration& config, Poco::Logger& logger)
    : _logger(logger) {
    const tim::Settings settings(config);
    ServiceSettings serviceSettings = readServiceSettings(settings);
    const store::DatabaseConfig databaseConfig = readDatabaseConfig(settings);
    const auth::TokenPolicy tokenPolicy = readTokenPolicy(settings);
    const int cacheSeconds = settings.integer("scim.token.cacheSeconds", 0, 3600);
    const std::string configuredKey = settings.string("scim.token.signingKey");

    _database = std::make_unique<store::Database>(databaseConfig, _logger);
    const std::size_t applied = _database->migrate();
    _logger.information("database " + databaseConfig.describe() + " ready (" +
                        std::to_string(applied) + " migration(s) applied now)");

    _identities = std::make_unique<store::SqlIdentityStore>(*_database);
    for (const auto& name : tim::setupSystemIdentities(*_identities)) {
        _logger.information("created the system identity " + name);
    }
    _tokenStore = std::make_unique<store::SqlTokenStore>(*_database);
    const std::string signingKey =
        configuredKey.empty() ? _tokenStore->signingKey(auth::TokenService::generateSigningKey())
                              : configuredKey;
    _tokens = std::make_unique<auth::TokenService>(tokenPolicy, signingKey, *_tokenStore, _clock,
                                                   Poco::Timespan(cacheSeconds, 0), _logger);

    const auto deletedRetention = tim::Duration::parse(
        settings.string("scim.purge.deletedRetention"), "scim.purge.deletedRetention");
    tim::AccountSettings accountSettings;
    accountSettings.binding = tim::parseBindingMode(settings.string("scim.binding"));
    const std::string defaultPassword = settings.string(tim::kDefaultPasswordKey);
    if (defaultPassword.empty()) {
        _logger.warning(std::string(tim::kDefaultPasswordKey) +
                        " is not set: users SCIM creates get no password until TIM sets one");
    } else {
        // One salted hash of the shared default: the value is a setting every admin knows.
        accountSettings.defaultPasswordHash = tim::hashPassword(defaultPassword);
    }
    // Entra re-creating what TIM deleted gets its memberships and roles back (the retention
    // bounds how old a snapshot may be).
    accountSettings.snapshotRetention = deletedRetention;
    accountSettings.now = [this] { return _clock.now(); };
    _accounts = std::make_unique<tim::AccountService>(std::move(accountSettings));
    _snapshots = std::make_unique<store::Snapshots>(*_database, *_accounts);
    _userRepository = std::make_unique<store::UserRepository>(*_database, *_accounts);
    _groupRepository = std::make_unique<store::GroupRepository>(*_database, *_accounts);
    // Protected roles join the internal ones: never granted by SCIM, and their unmanaged
    // holders are out of SCIM's reach.
    auto internalRoles = splitList(settings.string("scim.roles.internal"));
    for (const auto& role : splitList(settings.string("scim.binding.protectedRoles"))) {
        internalRoles.push_back(role);
    }
    _groupRepository->syncRoleCatalogue(splitList(settings.string("scim.roles.known")),
                                        internalRoles);
    RequestLimits limits;
    limits.maxResults = static_cast<std::size_t>(serviceSettings.capabilities.filterMaxResults);
    const auto limit = [&](const char* key, int most) {
        return static_cast<std::size_t>(settings.integer(key, 1, most));
    };
    limits.jsonDepth = limit("scim.limits.jsonDepth", 1000);
    limits.jsonValues = limit("scim.limits.jsonValues", 10000000);
    limits.jsonStringBytes = limit("scim.limits.jsonStringBytes", 1024 * 1024 * 1024);
    limits.patchOperations = limit("scim.limits.patchOperations", 1000000);
    limits.membersPerPatch = limit("scim.limits.membersPerPatch", 10000000);
    limits.filter.maxLength = limit("scim.limits.filterLength", 1000000);
    limits.filter.maxDepth = limit("scim.limits.filterDepth", 1000);
    UsersSettings usersSettings;
    usersSettings.limits = limits;
    usersSettings.defaultVendor = settings.string("scim.vendor.default");
    _users = std::make_unique<UsersEndpoint>(*_userRepository, usersSettings, _logger);
    GroupsSettings groupsSettings;
    groupsSettings.limits = limits;
    groupsSettings.defaultVendor = usersSettings.defaultVendor;
    _groups = std::make_unique<GroupsEndpoint>(*_groupRepository, groupsSettings, _logger);

    store::PurgePolicy purge;
    purge.deletedRetention = deletedRetention.expiry();
    purge.disabledRetention = retentionOrNever(settings, "scim.purge.disabledRetention");
    purge.auditRetention = retentionOrNever(settings, "scim.audit.retention");
    purge.batchSize = static_cast<std::size_t>(settings.integer("scim.purge.batchSize", 1, 100000));
    _purgeIntervalMs =
        static_cast<std::uint64_t>(settings.integer("scim.purge.intervalSeconds", 1, 7 * 86400)) *
        1000;
    _purger = std::make_unique<store::Purger>(*_database, purge);
    _snapshotRetention = deletedRetention;

    auth::TokenService& tokens = *_tokens;
    _service = std::make_unique<ScimService>(
        std::move(serviceSettings),
        [&tokens](const Request& request) {
            return tokens.authenticate(request.headerValue("Authorization")) ==
                   auth::Rejection::None;
        },
        _logger, _users.get(), _groups.get(),
        Observability{&_metrics, [this] { return _database->poolUsage(); }});
}

bool PluginCore::isTransient(const Poco::Exception& e) {
    return store::transientFailureOf(e) != store::TransientFailure::None;
}

std::string PluginCore::describeMigrations() {
    Poco::Data::Session session = _database->session();
    std::string text;
    for (const auto& m : store::MigrationRunner(session, _database->dialect(), _logger).applied()) {
        text += m.name + "  " + m.appliedAt + "  " + m.checksum + "\n";
    }
    return text;
}

std::string PluginCore::setupIdentities() {
    const auto created = tim::setupSystemIdentities(*_identities);
    std::string text;
    for (const auto& name : created) {
        text += "created " + name + "\n";
    }
    return text.empty() ? "all system identities exist\n" : text;
}

std::string PluginCore::runPurge() {
    const Poco::Timestamp now = _clock.now();
    const auto result = _purger->run(now);
    _metrics.recordPurge(result, now);
    const auto snapshots =
        _snapshots->purge(_snapshotRetention->before(now).epochMicroseconds() / 1000);
    _logger.information("purge: " + result.summary() + "; " + std::to_string(snapshots) +
                        " expired snapshot(s) of TIM-side deletions");
    return result.summary() + "\n";
}

std::string PluginCore::deleteUserInTim(const std::string& id) {
    if (!_snapshots->deleteUserInTim(id)) {
        throw Poco::NotFoundException("no user " + id);
    }
    _logger.information("user " + id + " deleted in TIM; its memberships and roles are kept for " +
                        _snapshotRetention->text());
    return "deleted user " + id + "\n";
}

std::string PluginCore::deleteGroupInTim(const std::string& id) {
    if (!_snapshots->deleteGroupInTim(id)) {
        throw Poco::NotFoundException("no group " + id);
    }
    _logger.information("group " + id + " deleted in TIM; its members are kept for " +
                        _snapshotRetention->text());
    return "deleted group " + id + "\n";
}

std::string PluginCore::createLocalUser(const std::vector<std::string>& args) {
    const std::string usage = "usage: scim.user.create-local USERNAME [--email E] [--roles r1,r2]";
    if (args.empty() || args[0].empty() || args[0][0] == '-') {
        throw Poco::InvalidArgumentException(usage);
    }
    std::string email;
    std::vector<std::string> roles;
    for (std::size_t i = 1; i < args.size(); i += 2) {
        if (i + 1 >= args.size()) {
            throw Poco::InvalidArgumentException(usage);
        }
        if (args[i] == "--email") {
            email = args[i + 1];
        } else if (args[i] == "--roles") {
            roles = splitList(args[i + 1]);
        } else {
            throw Poco::InvalidArgumentException(usage);
        }
    }
    const std::string id = _userRepository->createLocal(args[0], email, roles);
    _logger.information("user " + id + " (" + args[0] + ") created as TIM's UI would: unmanaged");
    return id + "\n";
}

std::string PluginCore::describeStatus() {
    Poco::Data::Session session = _database->session();
    auto count = [&session](const std::string& sql) {
        Poco::Int64 n = 0;
        session << sql, Poco::Data::Keywords::into(n), Poco::Data::Keywords::now;
        return std::to_string(n);
    };
    const auto last = _purger->lastRun();
    std::string text;
    text +=
        "users: " +
        count(
            "SELECT COUNT(*) FROM tim_user WHERE kind = 'person' AND deleted_ms IS NULL AND active "
            "= 1") +
        " active, " +
        count(
            "SELECT COUNT(*) FROM tim_user WHERE kind = 'person' AND deleted_ms IS NULL AND active "
            "= 0") +
        " disabled, " +
        count("SELECT COUNT(*) FROM tim_user WHERE kind = 'person' AND deleted_ms IS NOT NULL") +
        " deleted (pending purge)\n";
    text += "groups: " + count("SELECT COUNT(*) FROM tim_group") + " (" +
            count("SELECT COUNT(*) FROM tim_group WHERE role_key IS NOT NULL") + " role groups)\n";
    text += "tokens: " + count("SELECT COUNT(*) FROM scim_token WHERE revoked_ms IS NULL") +
            " not revoked\n";
    text += "last purge: " + (last ? scim::formatDateTime(*last) : std::string("never")) + "\n";
    text += "next purge due: " +
            (last ? scim::formatDateTime(
                        *last + static_cast<Poco::Timestamp::TimeDiff>(_purgeIntervalMs) * 1000)
                  : std::string("at the first run of a host's purge task")) +
            "\n";
    return text;
}

std::string PluginCore::describeAudit(const std::vector<std::string>& args) {
    const std::string usage =
        "usage: scim.audit ID|USERNAME|DISPLAYNAME|EXTERNALID [N], or scim.audit --latest [N]";
    unsigned limit = 50;
    if (args.empty() || args.size() > 2 ||
        (args.size() == 2 &&
         (!Poco::NumberParser::tryParseUnsigned(args[1], limit) || limit == 0 || limit > 10000))) {
        throw Poco::InvalidArgumentException(usage);
    }
    store::AuditTrail trail(*_database);
    const auto entries =
        args[0] == "--latest" ? trail.latest(limit) : trail.historyOf(args[0], limit);
    if (entries.empty()) {
        return "no audit entries for " + args[0] + "\n";
    }
    std::string text;
    for (const auto& entry : entries) {
        const auto& e = entry.event;
        const std::string changed = Poco::cat(std::string(","), e.changed.begin(), e.changed.end());
        text += scim::formatDateTime(Poco::Timestamp(entry.atMs * 1000)) + "  " + e.operation +
                "  " + e.resourceType + "  " + e.resourceId +
                "  externalId=" + (e.externalId.isNull() ? "-" : e.externalId.value()) +
                "  request=" + (entry.requestId.empty() ? "-" : entry.requestId) +
                "  changed=" + (changed.empty() ? "-" : changed) + "  outcome=" + e.outcome + "\n";
    }
    return text;
}

std::string PluginCore::describeRoles() {
    return _groupRepository->describeRoles();
}

std::string PluginCore::generateToken() {
    return _tokens->issue() + "\n";
}

std::string PluginCore::listTokens() {
    const Poco::Timestamp now = _clock.now();
    std::string text =
        "jti                                   subject   issued                "
        "expires               state\n";
    for (const auto& token : _tokenStore->list()) {
        const char* state =
            token.revokedAt ? "revoked" : (token.expiresAt <= now ? "expired" : "active");
        text += token.jti + "  " + token.subject + "  " + scim::formatDateTime(token.issuedAt) +
                "  " + scim::formatDateTime(token.expiresAt) + "  " + state + "\n";
    }
    return text;
}

std::string PluginCore::revokeToken(const std::string& jti) {
    if (!_tokenStore->revoke(jti, _clock.now())) {
        throw Poco::NotFoundException("no token has the jti " + jti);
    }
    _logger.information("revoked the bearer token " + jti);
    return "revoked " + jti + "\n";
}

}  // namespace api
