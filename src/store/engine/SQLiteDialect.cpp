#include "PreparedStatements.h"
#include "SqlDialect.h"

#include <Poco/Clock.h>
#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Data/Session.h>
#include <Poco/String.h>
#include <Poco/Thread.h>

#include <mutex>

namespace store {
namespace {

using namespace Poco::Data::Keywords;

class SQLiteDialect : public SqlDialect {
  public:
    SQLiteDialect(std::string synchronous, int busyTimeoutMs)
        : _synchronous(std::move(synchronous)), _busyTimeoutMs(busyTimeoutMs) {}

    Engine engine() const override { return Engine::SQLite; }
    const char* engineName() const override { return "sqlite"; }

    void prepareSession(Poco::Data::Session& session) const override {
        // Per-connection settings; WAL itself is stored in the file.
        session << "PRAGMA busy_timeout = " + std::to_string(_busyTimeoutMs), now;
        session << "PRAGMA foreign_keys = ON", now;
        // LIKE must be case-sensitive as in MySQL's utf8mb4_bin; case-insensitive filters
        // compare folded key columns instead.
        session << "PRAGMA case_sensitive_like = ON", now;
        session << "PRAGMA synchronous = " + _synchronous, now;
    }

    // WAL is a property of the file. Switching to it needs the file to itself, which another
    // process that is migrating may hold: wait for it as long as the busy timeout allows.
    void initialiseDatabase(Poco::Data::Session& session) const override {
        // Each attempt may itself wait the busy timeout: the deadline is on the clock.
        const Poco::Clock start;
        for (;;) {
            try {
                std::string mode;
                session << "PRAGMA journal_mode", into(mode), now;
                if (Poco::icompare(mode, "wal") != 0) {
                    session << "PRAGMA journal_mode = WAL", into(mode), now;
                }
                return;
            } catch (const Poco::Exception& e) {
                if (!isRetryable(e) ||
                    start.isElapsed(Poco::Clock::ClockDiff(_busyTimeoutMs) * 1000)) {
                    throw;
                }
            }
            Poco::Thread::sleep(50);
        }
    }

    std::string insertSkippingExisting(const std::string& insert,
                                       const std::string&) const override {
        return insert + " ON CONFLICT DO NOTHING";
    }

    std::string unindexed(const std::string& column) const override { return "+" + column; }

    std::string seekWith(const std::string&) const override { return ""; }

    // Every write batch takes the database's write lock: two purgers only interleave.
    bool tryLockJob(Poco::Data::Session&, const std::string&) const override { return true; }
    void unlockJob(Poco::Data::Session&, const std::string&) const override {}

    // One writer at a time in this process: waiting on a mutex is immediate, while SQLite's
    // busy handler sleeps in growing steps (measured: 61 POST/s with 16 clients without it).
    std::string beginWrite(Poco::Data::Session& session) const override {
        _writer.lock();
        try {
            runPrepared(session, "BEGIN IMMEDIATE", {});
        } catch (...) {
            _writer.unlock();
            throw;
        }
        return "";
    }

    void commitWrite(Poco::Data::Session& session, const std::string&) const override {
        runPrepared(session, "COMMIT", {});
    }

    void endWrite(Poco::Data::Session&) const override { _writer.unlock(); }

    // Writers take turns here: one commit for many saves a WAL append each.
    std::size_t groupCommitWrites() const override { return 32; }

    const char* forUpdate() const override { return ""; }
    const char* forShare() const override { return ""; }

    bool isRetryable(const Poco::Exception& e) const override {
        return e.displayText().find("database is locked") != std::string::npos;
    }

    bool isUniqueViolation(const Poco::Exception& e) const override {
        return dynamic_cast<const Poco::Data::SQLite::ConstraintViolationException*>(&e) !=
                   nullptr ||
               e.displayText().find("UNIQUE constraint failed") != std::string::npos;
    }

    bool tableExists(Poco::Data::Session& session, const std::string& table) const override {
        int count = 0;
        std::string name = table;
        session << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
            into(count), use(name), now;
        return count > 0;
    }

    // SQLite DDL is transactional: all pending migrations run in one IMMEDIATE transaction,
    // whose write lock is the migration lock.
    void beginMigrationLock(Poco::Data::Session& session) const override {
        session << "BEGIN IMMEDIATE", now;
    }

    void endMigrationLock(Poco::Data::Session& session, bool success) const override {
        session << (success ? "COMMIT" : "ROLLBACK"), now;
    }

  private:
    const std::string _synchronous;
    const int _busyTimeoutMs;
    mutable std::mutex _writer;
};

}  // namespace

std::unique_ptr<SqlDialect> makeSQLiteDialect(std::string synchronous, int busyTimeoutMs) {
    return std::make_unique<SQLiteDialect>(std::move(synchronous), busyTimeoutMs);
}

}  // namespace store
