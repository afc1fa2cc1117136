// One statement kept prepared on a connection, with the storage its results go to: what
// runPrepared keeps per connection. Poco::Data's statements on MySQL/MariaDB (PocoStatement);
// SQLite's own on SQLite (SQLiteStatement.h), whose Poco connector prepares anew on every run.
#pragma once

#include "PreparedStatements.h"

namespace store {

class CachedStatement {
  public:
    virtual ~CachedStatement() = default;
    CachedStatement(const CachedStatement&) = delete;
    CachedStatement& operator=(const CachedStatement&) = delete;

    // Runs the statement with `params` (as many, and as null, as when it was prepared); the
    // result is valid until the next run.
    virtual const PreparedResult& run(const std::vector<SqlParam>& params) = 0;

  protected:
    explicit CachedStatement(const std::vector<ColumnType>& columns) : _result(columns) {}

    std::vector<PreparedResult::Column>& columns() { return _result._columns; }
    void emptyColumns();
    void setChanged(std::size_t rows) { _result._changed = rows; }

    PreparedResult _result;
};

}  // namespace store
