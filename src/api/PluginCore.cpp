#include "PluginCore.h"

#include "store/MigrationRunner.h"

#include <Poco/Path.h>

namespace api {

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
    return service;
}

PluginCore::PluginCore(const Poco::Util::AbstractConfiguration& config, Poco::Logger& logger)
    : _logger(logger) {
    const tim::Settings settings(config);
    ServiceSettings serviceSettings = readServiceSettings(settings);
    const store::DatabaseConfig databaseConfig = readDatabaseConfig(settings);

    _database = std::make_unique<store::Database>(databaseConfig, _logger);
    const std::size_t applied = _database->migrate();
    _logger.information("database " + databaseConfig.describe() + " ready (" +
                        std::to_string(applied) + " migration(s) applied now)");
    _service = std::make_unique<ScimService>(std::move(serviceSettings), _logger);
}

std::string PluginCore::describeMigrations() {
    Poco::Data::Session session = _database->session();
    std::string text;
    for (const auto& m : store::MigrationRunner(session, _database->dialect(), _logger).applied()) {
        text += m.name + "  " + m.appliedAt + "  " + m.checksum + "\n";
    }
    return text;
}

}  // namespace api
