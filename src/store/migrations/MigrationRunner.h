// Brings a database to the newest schema: applies the migrations it has not seen, in order,
// each recorded in scim_schema_version. Safe when several processes start at once.
#pragma once

#include "Migration.h"
#include "store/engine/SqlDialect.h"

#include <Poco/Data/Session.h>
#include <Poco/Logger.h>

#include <string>
#include <vector>

namespace store {

struct AppliedMigration {
    int version = 0;
    std::string name;
    std::string checksum;
    std::string appliedAt;  // ISO 8601 UTC
};

class MigrationRunner {
  public:
    MigrationRunner(Poco::Data::Session& session, const SqlDialect& dialect, Poco::Logger& logger)
        : _session(session), _dialect(dialect), _logger(logger) {}

    // Applies what is missing and returns how many migrations it applied. Throws
    // Poco::DataException when a recorded migration's checksum differs from the file's (the
    // file was edited after it ran) or a statement fails; the message names the migration.
    std::size_t run(const std::vector<Migration>& migrations);

    // What the version table records, by version; empty before the first migration.
    std::vector<AppliedMigration> applied();

  private:
    std::size_t applyPending(const std::vector<Migration>& migrations);
    void apply(const Migration& migration);

    Poco::Data::Session& _session;
    const SqlDialect& _dialect;
    Poco::Logger& _logger;
};

inline constexpr const char* kSchemaVersionTable = "scim_schema_version";

}  // namespace store
