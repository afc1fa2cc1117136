#include "Database.h"

#include "MySQLTimeouts.h"
#include "OpenDiagnosis.h"
#include "PreparedStatements.h"
#include "store/migrations/MigrationRunner.h"

#include <Poco/Data/MySQL/Connector.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Format.h>
#include <Poco/Path.h>
#include <Poco/String.h>

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <optional>

namespace store {
namespace {

// How long opening the database may take at start: a host that cannot reach its database
// says so within seconds instead of looking healthy.
constexpr int kOpenSeconds = 10;

// Connectors are process-wide; the last Database to go unregisters them (MySQL's unregister
// calls mysql_library_end, so only after every pool is gone).
std::mutex connectorMutex;
int connectorUsers = 0;

void acquireConnectors(Poco::Logger& logger) {
    std::lock_guard<std::mutex> lock(connectorMutex);
    if (connectorUsers++ == 0) {
        // SQLite's memory statistics take a process-wide lock on every allocation; off, reads
        // scale with threads. Only possible before SQLite initialises.
        if (sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK) {
            logger.debug("SQLite was initialised already; memory statistics stay on");
        }
        Poco::Data::SQLite::Connector::registerConnector();
        Poco::Data::MySQL::Connector::registerConnector();  // initialises libmariadb
        registerBoundedMySQLConnector();
    }
}

void releaseConnectors() {
    std::lock_guard<std::mutex> lock(connectorMutex);
    if (--connectorUsers == 0) {
        unregisterBoundedMySQLConnector();
        Poco::Data::MySQL::Connector::unregisterConnector();
        Poco::Data::SQLite::Connector::unregisterConnector();
    }
}

std::string mysqlConnectionString(const DatabaseConfig& c) {
    for (const auto* value : {&c.host, &c.name, &c.user, &c.password}) {
        if (value->find(';') != std::string::npos) {
            throw Poco::InvalidArgumentException(
                "scim.db.host, scim.db.name, scim.db.user and scim.db.password must not "
                "contain ';' (Poco's MySQL connection string cannot quote it)");
        }
    }
    return "host=" + c.host + ";port=" + std::to_string(c.port) + ";db=" + c.name +
           ";user=" + c.user + ";password=" + c.password +
           ";character-set=utf8mb4;auto-reconnect=false;secure-auth=true";
}

// Runs the dialect's per-session settings on every session the pool creates.
class PreparedSessionPool : public Poco::Data::SessionPool {
  public:
    PreparedSessionPool(const std::string& connector, const std::string& connectionString,
                        const DatabaseConfig& config, const SqlDialect& dialect)
        : SessionPool(connector, connectionString, config.poolMin, config.poolMax,
                      config.poolIdleSeconds),
          _dialect(dialect) {}

  protected:
    void customizeSession(Poco::Data::Session& session) override {
        _dialect.prepareSession(session);
    }

  private:
    const SqlDialect& _dialect;
};

// The SQLite file holds the token signing key and the password hashes: owner only, whatever
// the umask. SQLite gives its WAL, SHM and journal the database's mode, so a private database
// keeps them private; files left wider by an older version are narrowed, with a warning.
void keepSQLiteFilesPrivate(const std::string& file, Poco::Logger& logger) {
    constexpr mode_t kPrivate = S_IRUSR | S_IWUSR;
    const int created = ::open(file.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, kPrivate);
    if (created >= 0) {
        ::fchmod(created, kPrivate);  // the umask may only remove bits; this says it exactly
        ::close(created);
    }
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        const std::string path = file + suffix;
        struct stat status {};
        if (::stat(path.c_str(), &status) != 0 || (status.st_mode & (S_IRWXG | S_IRWXO)) == 0) {
            continue;
        }
        if (::chmod(path.c_str(), kPrivate) != 0) {
            throw Poco::FileAccessDeniedException(
                path + " is readable by other accounts and cannot be made private");
        }
        logger.warning("%s was readable by other accounts (mode %s); it is now 0600", path,
                       Poco::format("%04o", static_cast<unsigned>(status.st_mode & 07777)));
    }
}

}  // namespace

std::string DatabaseConfig::describe() const {
    if (engine == Engine::SQLite) {
        return "sqlite " + file;
    }
    return "mysql " + user + "@" + host + ":" + std::to_string(port) + "/" + name;
}

Engine parseEngine(const std::string& text) {
    const std::string engine = Poco::toLower(Poco::trim(text));
    if (engine == "sqlite") {
        return Engine::SQLite;
    }
    if (engine == "mysql" || engine == "mariadb") {
        return Engine::MySQL;
    }
    throw Poco::InvalidArgumentException("scim.db.connector must be sqlite or mysql, not \"" +
                                         text + "\"");
}

std::size_t Database::groupCommitMaxWrites() const {
    return _config.groupCommitMaxWrites > 0 ? static_cast<std::size_t>(_config.groupCommitMaxWrites)
                                            : _dialect->groupCommitWrites();
}

Database::Database(const DatabaseConfig& config, Poco::Logger& logger)
    : _config(config), _logger(logger) {
    if (_config.engine == Engine::SQLite) {
        const std::string sync = Poco::toUpper(_config.synchronous);
        if (sync != "NORMAL" && sync != "FULL") {
            throw Poco::InvalidArgumentException(
                "scim.db.sqlite.synchronous must be NORMAL or FULL");
        }
        if (_config.file.empty()) {
            throw Poco::InvalidArgumentException("no SQLite file: set scim.db.file or data.dir");
        }
        // Poco retries a failed open for a minute; a file this account cannot use never heals.
        const std::string problem = sqliteFileProblem(_config.file);
        if (!problem.empty()) {
            throw Poco::DataException("cannot open database " + _config.describe() + ": " +
                                      problem);
        }
        keepSQLiteFilesPrivate(_config.file, _logger);
        _dialect = makeSQLiteDialect(sync, _config.busyTimeoutMs);
    } else {
        _dialect = makeMySQLDialect(_config.lockWaitSeconds);
    }
    _connectionString =
        _config.engine == Engine::SQLite ? _config.file : mysqlConnectionString(_config);
    _connector = _config.engine == Engine::SQLite ? Poco::Data::SQLite::Connector::KEY
                                                  : boundedMySQLConnectorKey();
    acquireConnectors(_logger);
    try {
        // The first session is opened outside the pool: a pool torn down while its first open
        // was failing can deadlock (Poco 1.11's shutdown stops the janitor under the lock the
        // janitor waits for), and the start must fail within kOpenSeconds, not hang.
        setMySQLWaitLimit(std::min(_config.timeoutSeconds, kOpenSeconds));
        Poco::Data::Session first = unpooledSession(kOpenSeconds);
        setMySQLWaitLimit(_config.timeoutSeconds);
        _dialect->initialiseDatabase(first);
        first.close();
    } catch (const Poco::Exception& e) {
        setMySQLWaitLimit(_config.timeoutSeconds);
        releaseConnectors();
        throw Poco::DataException("cannot open database " + _config.describe() + " as " +
                                  processAccount() + ": " + e.displayText() + "; " +
                                  openFailureFix(_config, e.displayText()));
    }
    _pool =
        std::make_unique<PreparedSessionPool>(_connector, _connectionString, _config, *_dialect);
}

Poco::Data::Session Database::unpooledSession(std::size_t connectSeconds) const {
    Poco::Data::Session session(_connector, _connectionString, connectSeconds);
    _dialect->prepareSession(session);
    return session;
}

Database::~Database() {
    _pool->shutdown();
    dropClosedConnections();  // their kept statements, while the connectors are still there
    _pool.reset();
    releaseConnectors();
}

Poco::Data::Session Database::session() {
    // Poco's pool does not wait: a burst beyond the pool (a request holds one session at a
    // time) waits here for a session another returns.
    std::optional<Poco::Data::Session> got;
    const bool served = _waitLine.inTurn(
        [&] {
            try {
                got.emplace(_pool->get());
                return true;
            } catch (const Poco::Data::SessionPoolExhaustedException&) {
                return false;
            }
        },
        std::chrono::steady_clock::now() + std::chrono::milliseconds(_config.poolWaitMs));
    if (!served) {
        throw Poco::Data::SessionPoolExhaustedException("every session of " + _config.describe() +
                                                        " stayed in use for " +
                                                        std::to_string(_config.poolWaitMs) + " ms");
    }
    return std::move(*got);
}

std::vector<AppliedMigration> Database::appliedMigrations() {
    Poco::Data::Session s = session();
    return MigrationRunner(s, *_dialect, _logger).applied();
}

std::size_t Database::migrate() {
    try {
        Poco::Data::Session s = session();
        return MigrationRunner(s, *_dialect, _logger).run(embeddedMigrations(_config.engine));
    } catch (const Poco::Exception& e) {
        throw Poco::DataException("cannot migrate database " + _config.describe() + " as " +
                                  processAccount() + ": " + e.displayText() + "; " +
                                  openFailureFix(_config, e.displayText()));
    }
}

}  // namespace store
