#include "PreparedStatements.h"

#include "CachedStatement.h"
#include "SQLiteStatement.h"
#include "SqlDialect.h"
#include "SqlSupport.h"

#include <Poco/Data/PooledSessionImpl.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Statement.h>
#include <Poco/Data/StatementImpl.h>

#include <atomic>
#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace store {

using namespace Poco::Data::Keywords;

PreparedResult::PreparedResult(const std::vector<ColumnType>& types) {
    _columns.reserve(types.size());
    for (ColumnType type : types) {
        switch (type) {
            case ColumnType::Text:
                _columns.emplace_back(std::vector<std::string>());
                break;
            case ColumnType::NullableText:
                _columns.emplace_back(std::vector<Poco::Nullable<std::string>>());
                break;
            case ColumnType::Integer:
                _columns.emplace_back(std::vector<Poco::Int64>());
                break;
            case ColumnType::NullableInteger:
                _columns.emplace_back(std::vector<Poco::Nullable<Poco::Int64>>());
                break;
        }
    }
}

std::size_t PreparedResult::rows() const {
    return _columns.empty() ? 0 : std::visit([](const auto& v) { return v.size(); }, _columns[0]);
}

void CachedStatement::emptyColumns() {
    for (auto& column : _result._columns) {
        std::visit([](auto& values) { values.clear(); }, column);
    }
}

namespace {

constexpr std::size_t kWideColumnBytes = 1 << 20;
std::atomic<std::size_t> wideColumns{0};

// Poco keeps a statement's result columns (their descriptions, and their count in
// StatementImpl::columnsReturned) protected; naming them through a derived class is the
// standard's way to reach them.
struct DescribedStatement : Poco::Data::Statement {
    using Poco::Data::Statement::metaColumn;
    using Poco::Data::Statement::Statement;

    std::size_t columnsReturned() const { return ColumnCount::of(*impl()); }

  private:
    struct ColumnCount : Poco::Data::StatementImpl {
        static std::size_t of(const Poco::Data::StatementImpl& statement) {
            return (statement.*(&ColumnCount::columnsReturned))();
        }
    };
};

// A Poco::Data statement with the storage it binds from and extracts into.
class PocoStatement final : public CachedStatement {
  public:
    PocoStatement(Poco::Data::Session& session, const std::string& sql,
                  const std::vector<SqlParam>& params, const std::vector<ColumnType>& columns)
        : CachedStatement(columns), _params(params), _statement(session) {
        _statement << sql;
        bindAll(_statement, _params);
        for (auto& column : this->columns()) {
            std::visit([this](auto& values) { _statement, into(values); }, column);
        }
    }

    const PreparedResult& run(const std::vector<SqlParam>& params) override {
        for (std::size_t i = 0; i < params.size(); ++i) {
            _params[i].text = params[i].text;  // the addresses bound stay the same
            _params[i].number = params[i].number;
        }
        emptyColumns();
        setChanged(_statement.execute());
        if (!_columnsMeasured) {
            countWideColumns();
            _columnsMeasured = true;
        }
        return _result;
    }

  private:
    void countWideColumns() {
        for (std::size_t i = 0; i < _statement.columnsReturned(); ++i) {
            if (_statement.metaColumn(i).length() > kWideColumnBytes) {
                ++wideColumns;
            }
        }
    }

    std::vector<SqlParam> _params;
    DescribedStatement _statement;
    bool _columnsMeasured = false;
};

// The engine's own prepared statement on SQLite, Poco's elsewhere.
std::unique_ptr<CachedStatement> prepare(Poco::Data::Session& session, const std::string& sql,
                                         const std::vector<SqlParam>& params,
                                         const std::vector<ColumnType>& columns) {
    if (session.connector() == Poco::Data::SQLite::Connector::KEY) {
        return prepareSQLiteStatement(Poco::Data::SQLite::Utility::dbHandle(session), sql,
                                      params.size(), columns);
    }
    return std::make_unique<PocoStatement>(session, sql, params, columns);
}

struct ConnectionStatements {
    using Kept = std::list<std::pair<std::string, std::unique_ptr<CachedStatement>>>;

    explicit ConnectionStatements(Poco::Data::SessionImpl* impl)
        : connection(Poco::AutoPtr<Poco::Data::SessionImpl>(impl, true)) {}

    // The statement kept for `key`, now the most recently used; nullptr when none is.
    CachedStatement* use(const std::string& key) {
        const auto found = byKey.find(key);
        if (found == byKey.end()) {
            return nullptr;
        }
        byUse.splice(byUse.begin(), byUse, found->second);
        return found->second->second.get();
    }

    // `key` is not kept yet (use() found none).
    CachedStatement* keep(const std::string& key, std::unique_ptr<CachedStatement> statement) {
        if (byKey.size() >= kStatementsKeptPerConnection) {
            byKey.erase(byUse.back().first);
            byUse.pop_back();
        }
        byUse.emplace_front(key, std::move(statement));
        try {
            byKey.emplace(key, byUse.begin());
        } catch (...) {
            byUse.pop_front();  // the two stay one set
            throw;
        }
        return byUse.front().second.get();
    }

    void drop(const std::string& key) {
        const auto found = byKey.find(key);
        if (found != byKey.end()) {
            byUse.erase(found->second);
            byKey.erase(found);
        }
    }

    Poco::Data::Session connection;  // holds the connection object while statements use it
    Kept byUse;                      // most recently used first
    std::unordered_map<std::string, Kept::iterator> byKey;
};

// Keyed by the physical connection behind a pooled session. An entry holds a reference to
// it, so a key is never reused by another connection while the entry exists.
std::mutex registryMutex;
std::atomic<std::size_t> prepared{0};
std::unordered_map<Poco::Data::SessionImpl*, std::unique_ptr<ConnectionStatements>> registry;

// The pool's connection behind a pooled session (Poco keeps the accessor protected; naming it
// through a derived class is the standard's way to reach it), or nullptr for other sessions.
struct PooledConnection : Poco::Data::PooledSessionImpl {
    static Poco::Data::SessionImpl* of(Poco::Data::Session& session) {
        auto* pooled = dynamic_cast<Poco::Data::PooledSessionImpl*>(session.impl());
        return pooled ? (pooled->*(&PooledConnection::access))() : nullptr;
    }
};

// Drops the entries of closed connections. Caller holds registryMutex.
void dropClosedLocked() {
    for (auto it = registry.begin(); it != registry.end();) {
        it = it->second->connection.isConnected() ? std::next(it) : registry.erase(it);
    }
}

std::string keyOf(const std::string& sql, const std::vector<SqlParam>& params,
                  const std::vector<ColumnType>& columns) {
    std::string key;
    key.reserve(sql.size() + params.size() + columns.size() + 1);
    for (const auto& p : params) {
        key += p.isNull ? 'z' : p.isNumber ? 'n' : 't';
    }
    key += '|';
    for (ColumnType c : columns) {
        key += static_cast<char>('0' + static_cast<int>(c));
    }
    return key + sql;
}

ConnectionStatements* statementsOf(Poco::Data::SessionImpl* connection) {
    std::lock_guard<std::mutex> lock(registryMutex);
    auto found = registry.find(connection);
    if (found != registry.end()) {
        return found->second.get();
    }
    dropClosedLocked();  // a new connection: the pool may have closed others
    return registry.emplace(connection, std::make_unique<ConnectionStatements>(connection))
        .first->second.get();
}

}  // namespace

const PreparedResult& runPrepared(Poco::Data::Session& session, const std::string& sql,
                                  const std::vector<SqlParam>& params,
                                  const std::vector<ColumnType>& columns) {
    // A closed SQLite connection's handle is freed once its statements go: never step it.
    if (!session.isConnected()) {
        throw Poco::Data::NotConnectedException("the database session is closed");
    }
    Poco::Data::SessionImpl* connection = PooledConnection::of(session);
    if (!connection) {
        thread_local std::unique_ptr<CachedStatement> unkept;
        unkept = prepare(session, sql, params, columns);
        return unkept->run(params);
    }
    // Only the thread holding the pooled session uses its connection's statements.
    ConnectionStatements* own = statementsOf(connection);
    const std::string key = keyOf(sql, params, columns);
    CachedStatement* statement = own->use(key);
    if (!statement) {
        statement = own->keep(key, prepare(session, sql, params, columns));
        ++prepared;
    }
    try {
        return statement->run(params);
    } catch (const Poco::Exception& e) {
        own->drop(key);  // its state is unknown: prepare it anew next time
        if (isConnectionLoss(e)) {
            connection->close();  // the pool then drops it instead of handing it out again
        }
        throw;
    } catch (...) {
        own->drop(key);
        throw;
    }
}

void dropClosedConnections() {
    std::lock_guard<std::mutex> lock(registryMutex);
    dropClosedLocked();
}

std::size_t keptStatementsPrepared() {
    return prepared;
}

std::size_t wideResultColumnsSeen() {
    return wideColumns;
}

std::size_t keptStatementsOn(Poco::Data::Session& session) {
    Poco::Data::SessionImpl* connection = PooledConnection::of(session);
    std::lock_guard<std::mutex> lock(registryMutex);
    const auto found = registry.find(connection);
    return found == registry.end() ? 0 : found->second->byKey.size();
}

std::size_t connectionsWithPreparedStatements() {
    std::lock_guard<std::mutex> lock(registryMutex);
    return registry.size();
}

}  // namespace store
