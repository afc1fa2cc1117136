#include "MigrationRunner.h"

#include "scim/DateTime.h"

#include <Poco/Data/Session.h>
#include <Poco/Exception.h>
#include <Poco/Timestamp.h>

#include <map>

namespace store {

using namespace Poco::Data::Keywords;

std::vector<AppliedMigration> MigrationRunner::applied() {
    std::vector<AppliedMigration> result;
    if (!_dialect.tableExists(_session, kSchemaVersionTable)) {
        return result;
    }
    std::vector<int> versions;
    std::vector<std::string> names;
    std::vector<std::string> checksums;
    std::vector<std::string> times;
    _session << "SELECT version, name, checksum, applied_at FROM scim_schema_version "
                "ORDER BY version",
        into(versions), into(names), into(checksums), into(times), now;
    for (std::size_t i = 0; i < versions.size(); ++i) {
        result.push_back(AppliedMigration{versions[i], names[i], checksums[i], times[i]});
    }
    return result;
}

std::size_t MigrationRunner::run(const std::vector<Migration>& migrations) {
    _dialect.beginMigrationLock(_session);
    std::size_t count = 0;
    try {
        count = applyPending(migrations);
    } catch (...) {
        try {
            _dialect.endMigrationLock(_session, false);
        } catch (const Poco::Exception& e) {
            _logger.warning("releasing the migration lock failed: " + e.displayText());
        }
        throw;
    }
    _dialect.endMigrationLock(_session, true);
    return count;
}

std::size_t MigrationRunner::applyPending(const std::vector<Migration>& migrations) {
    // Read under the lock: another instance may just have migrated.
    std::map<int, AppliedMigration> done;
    for (auto& m : applied()) {
        done[m.version] = m;
    }
    std::size_t count = 0;
    int known = 0;
    for (const auto& migration : migrations) {
        known = std::max(known, migration.version);
        const auto it = done.find(migration.version);
        if (it == done.end()) {
            apply(migration);
            ++count;
        } else if (it->second.checksum != checksumOf(migration.sql)) {
            throw Poco::DataException(
                "migration " + migration.name + " was changed after it was applied on " +
                it->second.appliedAt + "; restore the original file and add a new migration");
        }
    }
    if (!done.empty() && done.rbegin()->first > known) {
        _logger.warning("the database has schema version " + std::to_string(done.rbegin()->first) +
                        ", newer than this plugin's " + std::to_string(known) +
                        "; running an older plugin on a newer schema");
    }
    return count;
}

void MigrationRunner::apply(const Migration& migration) {
    _logger.information("applying migration " + migration.name);
    try {
        for (const auto& statement : splitStatements(migration.sql)) {
            _session << statement, now;
        }
        int version = migration.version;
        std::string name = migration.name;
        std::string checksum = checksumOf(migration.sql);
        std::string appliedAt = scim::formatDateTime(Poco::Timestamp());
        _session << "INSERT INTO scim_schema_version (version, name, checksum, applied_at) "
                    "VALUES (?, ?, ?, ?)",
            use(version), use(name), use(checksum), use(appliedAt), now;
    } catch (const Poco::Exception& e) {
        throw Poco::DataException("migration " + migration.name + " failed: " + e.displayText());
    }
}

}  // namespace store
