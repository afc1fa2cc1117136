#include "MySQLTimeouts.h"
#include "PreparedStatements.h"
#include "Retry.h"
#include "SqlDialect.h"
#include "store/cluster/GaleraNode.h"
#include "store/cluster/MySQLLease.h"

#include <Poco/Data/Session.h>
#include <Poco/Exception.h>
#include <Poco/Thread.h>
#include <Poco/Timestamp.h>

#include <atomic>
#include <cctype>
#include <cstring>
#include <optional>

namespace store {
namespace {

using namespace Poco::Data::Keywords;

constexpr const char* kMigrationLease = "migrations";
constexpr int kMigrationLockTimeoutSeconds = 120;
// Longer than any migration or purge run should take; a crashed holder's lease lapses then.
constexpr int kMigrationLeaseSeconds = 1800;
constexpr int kJobLeaseSeconds = 3600;

class MySQLDialect : public SqlDialect {
  public:
    explicit MySQLDialect(int lockWaitSeconds) : _lockWaitSeconds(lockWaitSeconds) {}

    Engine engine() const override { return Engine::MySQL; }
    const char* engineName() const override { return "mysql"; }

    void initialiseDatabase(Poco::Data::Session&) const override {}

    void prepareSession(Poco::Data::Session& session) const override {
        limitServerWait(session, true);  // first: a server that greets and then stalls is bounded
        session << "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION'", now;
        session << "SET SESSION time_zone = '+00:00'", now;
        // A write waiting for a row lock fails after this long and is tried again (Retry.h):
        // bounded, instead of the server's 50 s per attempt.
        session << "SET SESSION innodb_lock_wait_timeout = " + std::to_string(_lockWaitSeconds),
            now;
        if (joinCausalReads(session)) {
            _galera = true;
        }
    }

    std::string insertSkippingExisting(const std::string& insert,
                                       const std::string& keyColumn) const override {
        return insert + " ON DUPLICATE KEY UPDATE " + keyColumn + " = " + keyColumn;
    }

    std::string unindexed(const std::string& column) const override { return column; }

    std::string seekWith(const std::string& index) const override {
        return " FORCE INDEX (" + index + ")";
    }

    bool tryLockJob(Poco::Data::Session& session, const std::string& name) const override {
        return tryLease(session, name, kJobLeaseSeconds);
    }

    std::size_t dropStaleWriteMarkers(Poco::Data::Session& session) const override {
        return _galera.load() ? dropStaleCommitMarkers(session) : 0;
    }

    // An unreleased lease would stop the job everywhere until it lapses.
    void unlockJob(Poco::Data::Session& session, const std::string& name) const override {
        withRetry(*this, [&] { releaseLease(session, name); });
    }

    std::string beginWrite(Poco::Data::Session& session) const override {
        if (!_galera.load()) {
            runPrepared(session, "START TRANSACTION", {});
            return "";
        }
        return beginCheckedWrite(session);
    }

    void endWrite(Poco::Data::Session& session) const override {
        if (_galera.load()) {
            endCheckedWrite(session);
        }
    }

    void commitWrite(Poco::Data::Session& session, const std::string& marker) const override {
        if (marker.empty()) {
            runPrepared(session, "COMMIT", {});
        } else {
            commitChecked(session, marker);
        }
    }

    // InnoDB commits concurrent transactions' redo together already: batches on one session
    // lost to parallel transactions (GroupCommit.h).
    std::size_t groupCommitWrites() const override { return 1; }

    const char* forUpdate() const override { return " FOR UPDATE"; }
    const char* forShare() const override { return " LOCK IN SHARE MODE"; }

    bool isRetryable(const Poco::Exception& e) const override {
        return isLockConflict(e) || (_galera.load() && isAbortedTriggerLoad(e));
    }

    bool isUniqueViolation(const Poco::Exception& e) const override {
        if (const auto number = mysqlErrorNumber(e)) {
            return *number == 1062;  // ER_DUP_ENTRY
        }
        return e.displayText().find("Duplicate entry") != std::string::npos;
    }

    bool tableExists(Poco::Data::Session& session, const std::string& table) const override {
        Poco::Int64 count = 0;
        std::string name = table;
        session << "SELECT COUNT(*) FROM information_schema.tables "
                   "WHERE table_schema = DATABASE() AND table_name = ?",
            into(count), use(name), now;
        return count > 0;
    }

    // MySQL DDL commits implicitly, so a lease serialises migrating processes, across the
    // nodes of a cluster too.
    void beginMigrationLock(Poco::Data::Session& session) const override {
        limitServerWait(session, false);  // waiting for the lock and DDL on big tables take long
        ensureLeaseTable(session);
        const Poco::Timestamp start;
        while (!tryLease(session, kMigrationLease, kMigrationLeaseSeconds)) {
            if (start.isElapsed(Poco::Timestamp::TimeDiff(kMigrationLockTimeoutSeconds) *
                                Poco::Timestamp::resolution())) {
                throw Poco::TimeoutException("another instance has held the migration lock for " +
                                             std::to_string(kMigrationLockTimeoutSeconds) + " s");
            }
            Poco::Thread::sleep(200);
        }
    }

    void endMigrationLock(Poco::Data::Session& session, bool) const override {
        unlockJob(session, kMigrationLease);
        limitServerWait(session, true);
    }

  private:
    bool tryLease(Poco::Data::Session& session, const std::string& name, int seconds) const {
        try {
            return tryTakeLease(session, name, seconds);
        } catch (const Poco::Exception& e) {
            if (isRetryable(e)) {
                return false;  // another node took it in the same instant
            }
            throw;
        }
    }

    const int _lockWaitSeconds;
    mutable std::atomic<bool> _galera{false};  // the server is a Galera node (seen at connect)
};

}  // namespace

std::optional<int> mysqlErrorNumber(const Poco::Exception& e) {
    const std::string text = e.displayText();
    for (const char* field : {"[mysql_stmt_errno]: ", "[mysql_errno]: "}) {
        const auto at = text.find(field);
        if (at == std::string::npos) {
            continue;
        }
        int number = 0;
        std::size_t digits = at + std::strlen(field);
        while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) {
            number = number * 10 + (text[digits++] - '0');
            if (number > 100000) {
                return std::nullopt;
            }
        }
        if (number > 0) {
            return number;
        }
    }
    return std::nullopt;
}

bool isAbortedTriggerLoad(const Poco::Exception& e) {
    const auto number = mysqlErrorNumber(e);
    return number && *number == 1064 &&
           e.displayText().find("Unknown trigger has an error in its body: 'Query was empty'") !=
               std::string::npos;
}

bool isLockConflict(const Poco::Exception& e) {
    if (const auto number = mysqlErrorNumber(e)) {
        // ER_LOCK_DEADLOCK (a Galera certification failure too), ER_LOCK_WAIT_TIMEOUT.
        return *number == 1213 || *number == 1205;
    }
    const std::string text = e.displayText();
    // A Galera node reports losing certification to another node's write as a deadlock. When
    // that abort reaches a statement while its rows are streaming, libmariadb's fetch fails
    // without an error number (measured: "mysql_stmt_fetch error", errno 0): the transaction
    // did not commit, so it too may run again.
    return text.find("Deadlock found") != std::string::npos ||
           text.find("mysql_stmt_fetch error") != std::string::npos ||
           text.find("Lock wait timeout") != std::string::npos;
}

bool isConnectionLoss(const Poco::Exception& e) {
    if (const auto number = mysqlErrorNumber(e)) {
        // CR_CONNECTION_ERROR, CR_CONN_HOST_ERROR, CR_SERVER_GONE_ERROR, CR_SERVER_LOST,
        // ER_SERVER_SHUTDOWN, and ER_UNKNOWN_COM_ERROR: a Galera node cut off from its
        // cluster's majority refuses work ("WSREP has not yet prepared node") until it rejoins.
        for (const int loss : {2002, 2003, 2006, 2013, 1053, 1047}) {
            if (*number == loss) {
                return true;
            }
        }
        return false;
    }
    // Failures the connector reports without an error number: a connect, and a statement on
    // a session whose connection was closed after a loss.
    const std::string text = e.displayText();
    for (const char* sign :
         {"Can't connect", "Lost connection", "server has gone away", "Server has gone away",
          "(2002)", "(2003)", "(2006)", "(2013)", "Server shutdown in progress",
          "WSREP has not yet prepared node", "Not connected to data source"}) {
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
