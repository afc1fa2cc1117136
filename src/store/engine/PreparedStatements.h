// Prepared statements kept per pooled database connection. A new Poco Statement prepares,
// executes and closes (two round trips to MariaDB and a parse on the server each time); a kept
// one only executes (platform-notes: 2-4x). On SQLite they are SQLite's own statements
// (SQLiteStatement.h). For statements with fixed SQL on hot paths.
#pragma once

#include "store/query/FilterSql.h"

#include <Poco/Data/Session.h>
#include <Poco/Nullable.h>

#include <string>
#include <variant>
#include <vector>

namespace store {

enum class ColumnType { Text, NullableText, Integer, NullableInteger };

// The rows of one execution, column by column; valid until the next prepared statement runs
// on the same session.
class PreparedResult {
  public:
    using Column = std::variant<std::vector<std::string>, std::vector<Poco::Nullable<std::string>>,
                                std::vector<Poco::Int64>, std::vector<Poco::Nullable<Poco::Int64>>>;

    explicit PreparedResult(const std::vector<ColumnType>& types);

    std::size_t rows() const;
    // The rows an INSERT, UPDATE or DELETE changed (what its execution reported).
    std::size_t changed() const { return _changed; }
    const std::vector<std::string>& text(std::size_t column) const {
        return std::get<std::vector<std::string>>(_columns.at(column));
    }
    const std::vector<Poco::Nullable<std::string>>& nullableText(std::size_t column) const {
        return std::get<std::vector<Poco::Nullable<std::string>>>(_columns.at(column));
    }
    const std::vector<Poco::Int64>& integer(std::size_t column) const {
        return std::get<std::vector<Poco::Int64>>(_columns.at(column));
    }
    const std::vector<Poco::Nullable<Poco::Int64>>& nullableInteger(std::size_t column) const {
        return std::get<std::vector<Poco::Nullable<Poco::Int64>>>(_columns.at(column));
    }

  private:
    friend class CachedStatement;  // fills it
    std::vector<Column> _columns;  // never resized: the statement extracts into them
    std::size_t _changed = 0;
};

// Runs `sql` with `params` on the session's connection through the statement prepared for it
// (prepared on first use), extracting `columns`. A statement that fails is dropped and
// prepared anew next time. Sessions not from a pool run an unkept statement.
const PreparedResult& runPrepared(Poco::Data::Session& session, const std::string& sql,
                                  const std::vector<SqlParam>& params,
                                  const std::vector<ColumnType>& columns = {});

// Statements a connection keeps; beyond it the one it used least recently is dropped. Bounds
// memory and the server's prepared statements (MariaDB's max_prepared_stmt_count is global),
// and statements used once (filters of many shapes) push out each other, not the hot ones.
constexpr std::size_t kStatementsKeptPerConnection = 64;

// Drops the statements of connections the pool has closed; Database calls it after shutting
// its pool down, before the connectors go.
void dropClosedConnections();

// How many connections hold kept statements (for tests).
std::size_t connectionsWithPreparedStatements();

// How many statements the pooled session's connection keeps (for tests).
std::size_t keptStatementsOn(Poco::Data::Session& session);

// How many statements have been prepared to be kept, since the process started (for tests: a
// workload the cache holds prepares none the second time).
std::size_t keptStatementsPrepared();

// Result columns declaring more than 1 MB (a MEDIUMTEXT, e.g. a TEXT column in a UNION with
// VARCHARs) in the MariaDB statements runPrepared prepared, since the process started. Poco
// 1.11's MySQL connector sizes a result buffer by the declared lengths and zeroes it at each
// execution (64 MB for a MEDIUMTEXT: POST p99 went from 14 to 250 ms; a LONGTEXT declares
// 4 GB, which Poco reads as 0: no buffer, not counted). Tests assert the hot statements have
// none.
std::size_t wideResultColumnsSeen();

}  // namespace store
