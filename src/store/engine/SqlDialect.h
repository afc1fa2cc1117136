// What differs between the engines, behind one interface.
#pragma once

#include "store/migrations/Migration.h"

#include <Poco/Data/Session.h>

#include <memory>
#include <optional>
#include <string>

namespace store {

class SqlDialect {
  public:
    virtual ~SqlDialect() = default;

    virtual Engine engine() const = 0;
    virtual const char* engineName() const = 0;

    // Runs once per Database on its first session: settings stored in the database itself.
    virtual void initialiseDatabase(Poco::Data::Session& session) const = 0;

    // Runs on every new pooled session before first use (session variables, pragmas).
    virtual void prepareSession(Poco::Data::Session& session) const = 0;

    // Starts a transaction that will write: SQLite takes the write lock now (a deferred
    // transaction that upgrades later can fail without waiting); MySQL begins normally.
    // Returns what commitWrite needs to tell whether the transaction committed ("" if nothing).
    virtual std::string beginWrite(Poco::Data::Session& session) const = 0;
    // Deletes what beginWrite left behind for connections that are gone; how many rows.
    virtual std::size_t dropStaleWriteMarkers(Poco::Data::Session&) const { return 0; }
    // Commits the transaction beginWrite started; throws if it did not commit.
    virtual void commitWrite(Poco::Data::Session& session, const std::string& marker) const = 0;
    // Called after the COMMIT or ROLLBACK of a transaction beginWrite started.
    virtual void endWrite(Poco::Data::Session&) const {}

    // How many waiting writes share one transaction unless configured (GroupCommit.h): what
    // measured fastest on the engine.
    virtual std::size_t groupCommitWrites() const = 0;

    // " FOR UPDATE" where the engine locks selected rows, "" where the transaction already
    // holds the whole database.
    virtual const char* forUpdate() const = 0;
    // The same for a shared lock: it reads the latest committed row, and readers do not wait
    // on each other.
    virtual const char* forShare() const = 0;

    // Whether `e` is a deadlock or lock timeout, after which the whole transaction may be
    // run again.
    virtual bool isRetryable(const Poco::Exception& e) const = 0;

    // Whether `e` is a unique-key violation.
    virtual bool isUniqueViolation(const Poco::Exception& e) const = 0;

    // `column` written so that no index serves a condition on it (SQLite: "+column"; MySQL's
    // unary plus is numeric, and its planner weighs indexes by statistics anyway: as is).
    virtual std::string unindexed(const std::string& column) const = 0;

    // What follows a table in FROM to make the planner seek with `index` where it would not
    // by itself (MariaDB: " FORCE INDEX (index)"; SQLite seeks already: "").
    virtual std::string seekWith(const std::string& index) const = 0;

    // Takes the named lock that makes a job (the purge) exclusive across every instance and
    // every node of a cluster, until unlockJob (or, should the process die, until its lease
    // lapses); false at once when another holds it. Where the engine serialises writers anyway
    // (SQLite) this always succeeds.
    virtual bool tryLockJob(Poco::Data::Session& session, const std::string& name) const = 0;
    virtual void unlockJob(Poco::Data::Session& session, const std::string& name) const = 0;

    // `insert`, a plain "INSERT INTO t (...) VALUES ...", made to skip each row whose key
    // exists instead of failing; it then counts as affected only the rows it added. Not
    // MySQL's INSERT IGNORE, which turns every error into a warning, not only the duplicate key
    // (a deadlock, a bad value): the transaction would go on as if the row were written.
    virtual std::string insertSkippingExisting(const std::string& insert,
                                               const std::string& keyColumn) const = 0;

    virtual bool tableExists(Poco::Data::Session& session, const std::string& table) const = 0;

    // Makes migrations exclusive across every process that uses the database: blocks until
    // this session holds the lock or throws. end releases it (and, where DDL is
    // transactional, commits or rolls back).
    virtual void beginMigrationLock(Poco::Data::Session& session) const = 0;
    virtual void endMigrationLock(Poco::Data::Session& session, bool success) const = 0;
};

// The MySQL/MariaDB error number `e` carries (Poco's connector writes it into the message as
// "[mysql_errno]: N" or "[mysql_stmt_errno]: N"), or nullopt when it carries none.
std::optional<int> mysqlErrorNumber(const Poco::Exception& e);

// Whether `e` is a MySQL/MariaDB deadlock (also a Galera certification failure) or lock wait
// timeout (also a Galera causal read that waited too long): the same request may succeed later.
bool isLockConflict(const Poco::Exception& e);

// Whether `e` is how a Galera node reports a statement it aborted for another node's write
// while the statement loaded its table's triggers: errno 1064 "Unknown trigger has an error in
// its body: 'Query was empty'" (measured in GaleraTest, 24 member adds to one group through
// three nodes: 3 of them on UPDATE tim_group). Nothing committed, so on a Galera node the
// transaction runs again; elsewhere it is what it says, a defect (500). A client's value never
// reaches a 1064: values are bound, never part of a statement.
bool isAbortedTriggerLoad(const Poco::Exception& e);

// Whether `e` says the database connection is gone or cannot be made (the server is down or
// restarting): the same request may succeed later, on a new connection. Only MySQL/MariaDB
// connections are lost this way.
bool isConnectionLoss(const Poco::Exception& e);

std::unique_ptr<SqlDialect> makeSQLiteDialect(std::string synchronous, int busyTimeoutMs);
std::unique_ptr<SqlDialect> makeMySQLDialect(int lockWaitSeconds);

}  // namespace store
