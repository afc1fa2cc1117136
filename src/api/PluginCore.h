// The plugin's C++ core, assembled from configuration: settings, database (migrated), and the
// SCIM service. Knows nothing of the C ABI; plugin/ adapts it.
#pragma once

#include "api/ScimService.h"
#include "store/Database.h"
#include "tim/Settings.h"

#include <Poco/Logger.h>
#include <Poco/Util/AbstractConfiguration.h>

#include <memory>
#include <string>

namespace api {

// Reads the scim.db.* keys; throws Poco::InvalidArgumentException naming a bad key.
store::DatabaseConfig readDatabaseConfig(const tim::Settings& settings);

// Reads scim.basePath and the capabilities the service advertises.
ServiceSettings readServiceSettings(const tim::Settings& settings);

class PluginCore {
  public:
    // Throws Poco::Exception with a message an operator can act on (bad setting, database
    // unreachable, migration failed).
    PluginCore(const Poco::Util::AbstractConfiguration& config, Poco::Logger& logger);

    const ScimService& service() const { return *_service; }
    store::Database& database() { return *_database; }

    // The applied migrations, one line each: "0001_schema_version.sql  2026-...".
    std::string describeMigrations();

  private:
    Poco::Logger& _logger;
    std::unique_ptr<store::Database> _database;
    std::unique_ptr<ScimService> _service;
};

}  // namespace api
