#include "Configuration.h"

#include <Poco/Exception.h>
#include <Poco/Path.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>

namespace app {
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

std::vector<std::string> splitList(const std::string& text) {
    std::vector<std::string> items;
    Poco::StringTokenizer tokens(
        text, ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
    items.assign(tokens.begin(), tokens.end());
    return items;
}

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
    config.poolWaitMs = settings.integer("scim.db.pool.waitMs", 0, 60000);
    if (Poco::icompare(settings.string("scim.db.groupCommit.maxWrites"), "auto") != 0) {
        config.groupCommitMaxWrites = settings.integer("scim.db.groupCommit.maxWrites", 1, 1000);
    }
    if (config.poolMin > config.poolMax) {
        throw Poco::InvalidArgumentException("scim.db.pool.min must not exceed scim.db.pool.max");
    }
    return config;
}

api::ServiceSettings readServiceSettings(const tim::Settings& settings) {
    api::ServiceSettings service;
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
    // A client sets the password of the accounts it created (tim/Credentials.h), never others.
    service.capabilities.changePassword = true;
    service.capabilities.bulk = true;
    service.capabilities.bulkMaxOperations = settings.integer("scim.bulk.maxOperations", 1, 100000);
    service.capabilities.bulkMaxPayloadSize =
        settings.integer("scim.bulk.maxPayloadBytes", 1024, 1024 * 1024 * 1024);
    service.capabilities.cursor = true;
    service.capabilities.cursorTimeoutSeconds =
        settings.integer("scim.cursor.timeoutSeconds", 1, 7 * 24 * 3600);
    return service;
}

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

api::RequestLimits readRequestLimits(const tim::Settings& settings) {
    api::RequestLimits limits;
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
    return limits;
}

store::PurgePolicy readPurgePolicy(const tim::Settings& settings) {
    store::PurgePolicy purge;
    purge.deletedRetention = readDeletedRetention(settings).expiry();
    purge.disabledRetention = retentionOrNever(settings, "scim.purge.disabledRetention");
    purge.auditRetention = retentionOrNever(settings, "scim.audit.retention");
    purge.batchSize = static_cast<std::size_t>(settings.integer("scim.purge.batchSize", 1, 100000));
    return purge;
}

tim::Duration readDeletedRetention(const tim::Settings& settings) {
    return tim::Duration::parse(settings.string("scim.purge.deletedRetention"),
                                "scim.purge.deletedRetention");
}

std::uint64_t readPurgeIntervalMs(const tim::Settings& settings) {
    return static_cast<std::uint64_t>(
               settings.integer("scim.purge.intervalSeconds", 1, 7 * 86400)) *
           1000;
}

}  // namespace app
