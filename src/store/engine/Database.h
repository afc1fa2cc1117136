// The plugin's database: one engine, one session pool, the engine's dialect, migrations.
#pragma once

#include "SqlDialect.h"
#include "WaitLine.h"
#include "store/migrations/Migration.h"
#include "store/migrations/MigrationRunner.h"

#include "port/Maintenance.h"

#include <Poco/Data/Session.h>
#include <Poco/Data/SessionPool.h>
#include <Poco/Logger.h>

#include <memory>
#include <string>
#include <vector>

namespace store {

struct DatabaseConfig {
    Engine engine = Engine::SQLite;
    // SQLite
    std::string file;
    std::string synchronous = "NORMAL";  // NORMAL or FULL
    int busyTimeoutMs = 5000;
    // MySQL / MariaDB
    std::string host = "127.0.0.1";
    int port = 3306;
    std::string name = "tim";
    std::string user = "tim";
    std::string password;
    int lockWaitSeconds = 5;  // innodb_lock_wait_timeout of every session
    int timeoutSeconds = 30;  // connecting, or a statement, unanswered this long: lost
    // Pool
    int poolMin = 1;
    int poolMax = 32;
    int poolIdleSeconds = 60;
    // How long a request waits for a session when every one is in use, before 503.
    int poolWaitMs = 1000;
    // Writes that wait at the same time share one transaction, up to this many (GroupCommit.h);
    // 1 gives each its own. 0: the engine's choice, what measured fastest on it.
    int groupCommitMaxWrites = 0;

    // "sqlite /path/file.db" or "mysql tim@127.0.0.1:3306/tim": for logs, never the password.
    std::string describe() const;
};

// Parses "sqlite" / "mysql" (also "mariadb"); throws Poco::InvalidArgumentException.
Engine parseEngine(const std::string& text);

class Database {
  public:
    // Opens the pool and checks that a session can be had. Throws Poco::Exception with a
    // message naming the database (never the password) and the cause.
    Database(const DatabaseConfig& config, Poco::Logger& logger);
    ~Database();

    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // A pooled session, returned to the pool when the last copy goes away. Throws
    // Poco::Data::SessionPoolExhaustedException when every session stayed in use for
    // poolWaitMs. Requests that wait are served in the order they asked.
    Poco::Data::Session session();

    // A session of its own, outside the pool, set up as the pool's are; closed by the caller.
    Poco::Data::Session unpooledSession(
        std::size_t connectSeconds = Poco::Data::SessionImpl::LOGIN_TIMEOUT_DEFAULT) const;

    // Requests waiting for a session (for tests).
    std::size_t sessionsAwaited() const { return _waitLine.waiting(); }

    const SqlDialect& dialect() const { return *_dialect; }

    // Connections the pool holds open, in use or idle.
    std::size_t openConnections() const { return static_cast<std::size_t>(_pool->allocated()); }
    port::PoolUsage poolUsage() const { return {_pool->used(), _pool->idle(), _pool->capacity()}; }
    const DatabaseConfig& config() const { return _config; }

    // The bound of a group commit (GroupCommit.h): the configured one, or the engine's.
    std::size_t groupCommitMaxWrites() const;

    // Applies the embedded migrations of this engine; returns how many ran.
    std::size_t migrate();

    // The migrations the database has, oldest first.
    std::vector<AppliedMigration> appliedMigrations();

  private:
    const DatabaseConfig _config;
    Poco::Logger& _logger;
    std::unique_ptr<SqlDialect> _dialect;
    std::string _connector;
    std::string _connectionString;
    std::unique_ptr<Poco::Data::SessionPool> _pool;
    WaitLine _waitLine;
};

}  // namespace store
