#include "MySQLTimeouts.h"
#include "PreparedStatements.h"
#include "SqlDialect.h"

#include <Poco/Data/Session.h>
#include <Poco/Exception.h>

namespace store {
namespace {

using namespace Poco::Data::Keywords;

constexpr const char* kMigrationLockName = "tim_scim_migrations";
constexpr int kMigrationLockTimeoutSeconds = 120;

class MySQLDialect : public SqlDialect {
  public:
    explicit MySQLDialect(int lockWaitSeconds) : _lockWaitSeconds(lockWaitSeconds) {}

    Engine engine() const override { return Engine::MySQL; }
    const char* engineName() const override { return "mysql"; }

    void initialiseDatabase(Poco::Data::Session&) const override {}

    void prepareSession(Poco::Data::Session& session) const override {
        session << "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION'", now;
        session << "SET SESSION time_zone = '+00:00'", now;
        // A write waiting for a row lock fails after this long and is tried again (Retry.h):
        // bounded, instead of the server's 50 s per attempt.
        session << "SET SESSION innodb_lock_wait_timeout = " + std::to_string(_lockWaitSeconds),
            now;
        limitServerWait(session, true);
    }

    const char* insertIgnore() const override { return "INSERT IGNORE"; }

    std::string unindexed(const std::string& column) const override { return column; }

    bool tryLockJob(Poco::Data::Session& session, const std::string& name) const override {
        Poco::Nullable<Poco::Int64> granted;
        std::string key = name;
        session << "SELECT GET_LOCK(?, 0)", into(granted), use(key), now;
        return !granted.isNull() && granted.value() == 1;
    }

    void unlockJob(Poco::Data::Session& session, const std::string& name) const override {
        Poco::Nullable<Poco::Int64> released;
        std::string key = name;
        session << "SELECT RELEASE_LOCK(?)", into(released), use(key), now;
    }

    void beginWrite(Poco::Data::Session& session) const override {
        runPrepared(session, "START TRANSACTION", {});
    }

    const char* forUpdate() const override { return " FOR UPDATE"; }

    bool isRetryable(const Poco::Exception& e) const override {
        const std::string text = e.displayText();
        return text.find("Deadlock found") != std::string::npos ||
               text.find("Lock wait timeout") != std::string::npos ||
               text.find("1213") != std::string::npos || text.find("1205") != std::string::npos;
    }

    bool isUniqueViolation(const Poco::Exception& e) const override {
        const std::string text = e.displayText();
        return text.find("Duplicate entry") != std::string::npos ||
               text.find("1062") != std::string::npos;
    }

    bool tableExists(Poco::Data::Session& session, const std::string& table) const override {
        Poco::Int64 count = 0;
        std::string name = table;
        session << "SELECT COUNT(*) FROM information_schema.tables "
                   "WHERE table_schema = DATABASE() AND table_name = ?",
            into(count), use(name), now;
        return count > 0;
    }

    // MySQL DDL commits implicitly, so a named server lock serialises migrating processes.
    void beginMigrationLock(Poco::Data::Session& session) const override {
        limitServerWait(session, false);  // waiting for the lock and DDL on big tables take long
        Poco::Nullable<Poco::Int64> granted;
        std::string name = kMigrationLockName;
        int timeout = kMigrationLockTimeoutSeconds;
        session << "SELECT GET_LOCK(?, ?)", into(granted), use(name), use(timeout), now;
        if (granted.isNull() || granted.value() != 1) {
            throw Poco::TimeoutException("another instance has held the migration lock for " +
                                         std::to_string(kMigrationLockTimeoutSeconds) + " s");
        }
    }

    void endMigrationLock(Poco::Data::Session& session, bool) const override {
        Poco::Nullable<Poco::Int64> released;
        std::string name = kMigrationLockName;
        session << "SELECT RELEASE_LOCK(?)", into(released), use(name), now;
        limitServerWait(session, true);
    }

  private:
    const int _lockWaitSeconds;
};

}  // namespace

bool isConnectionLoss(const Poco::Exception& e) {
    const std::string text = e.displayText();
    for (const char* sign : {"Can't connect", "Lost connection", "server has gone away",
                             "Server has gone away", "(2002)", "(2003)", "(2006)", "(2013)"}) {
        if (text.find(sign) != std::string::npos) {
            return true;
        }
    }
    return false;
}

std::unique_ptr<SqlDialect> makeMySQLDialect(int lockWaitSeconds) {
    return std::make_unique<MySQLDialect>(lockWaitSeconds);
}

}  // namespace store
