#include "SQLiteStatement.h"

#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Data/SQLite/Utility.h>

#include <sqlite3.h>

namespace store {
namespace {

[[noreturn]] void fail(sqlite3* db, int rc) {
    Poco::Data::SQLite::Utility::throwException(db, rc & 0xff);
    throw Poco::Data::DataException(sqlite3_errmsg(db));  // a code Poco lets pass
}

bool onlySpace(const char* text) {
    while (*text == ' ' || *text == '\n' || *text == '\t' || *text == '\r') {
        ++text;
    }
    return *text == '\0';
}

std::string textAt(sqlite3_stmt* statement, int column) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, column));
    return text ? std::string(text,
                              static_cast<std::size_t>(sqlite3_column_bytes(statement, column)))
                : std::string();
}

class SQLiteStatement final : public CachedStatement {
  public:
    SQLiteStatement(sqlite3* db, const std::string& sql, std::size_t params,
                    const std::vector<ColumnType>& columns)
        : CachedStatement(columns), _db(db) {
        const char* tail = nullptr;
        const int rc = sqlite3_prepare_v3(db, sql.c_str(), static_cast<int>(sql.size()),
                                          SQLITE_PREPARE_PERSISTENT, &_statement, &tail);
        if (rc != SQLITE_OK) {
            fail(db, rc);
        }
        // What Poco's statements refuse too: a parameter left unbound would read as NULL.
        if (_statement == nullptr || (tail != nullptr && !onlySpace(tail))) {
            sqlite3_finalize(_statement);
            throw Poco::Data::DataException("not one SQL statement: " + sql);
        }
        if (static_cast<std::size_t>(sqlite3_bind_parameter_count(_statement)) != params) {
            sqlite3_finalize(_statement);
            throw Poco::Data::SQLite::ParameterCountMismatchException(sql);
        }
    }
    ~SQLiteStatement() override { sqlite3_finalize(_statement); }

    const PreparedResult& run(const std::vector<SqlParam>& params) override {
        emptyColumns();
        // Reset however the run ends: a statement left stepping holds its read transaction,
        // and the texts bound are the caller's.
        struct Reset {
            sqlite3_stmt* statement;
            ~Reset() {
                sqlite3_reset(statement);
                sqlite3_clear_bindings(statement);
            }
        } reset{_statement};
        for (std::size_t i = 0; i < params.size(); ++i) {
            bind(static_cast<int>(i + 1), params[i]);
        }
        std::size_t rows = 0;
        int rc = SQLITE_OK;
        while ((rc = sqlite3_step(_statement)) == SQLITE_ROW) {
            extractRow();
            ++rows;
        }
        if (rc != SQLITE_DONE) {
            fail(_db, rc);
        }
        // sqlite3_changes is the last INSERT, UPDATE or DELETE's, whichever ran it: a statement
        // that writes no row (BEGIN, COMMIT, SAVEPOINT) changed none.
        setChanged(sqlite3_column_count(_statement) > 0 ? rows
                   : sqlite3_stmt_readonly(_statement)
                       ? 0
                       : static_cast<std::size_t>(sqlite3_changes(_db)));
        return _result;
    }

  private:
    void bind(int index, const SqlParam& param) {
        int rc = SQLITE_OK;
        if (param.isNull) {
            rc = sqlite3_bind_null(_statement, index);
        } else if (param.isNumber) {
            rc = sqlite3_bind_int64(_statement, index, param.number);
        } else {
            rc = sqlite3_bind_text(_statement, index, param.text.data(),
                                   static_cast<int>(param.text.size()), SQLITE_STATIC);
        }
        if (rc != SQLITE_OK) {
            fail(_db, rc);
        }
    }

    void extractRow() {
        int column = 0;
        for (auto& values : columns()) {
            const bool null = sqlite3_column_type(_statement, column) == SQLITE_NULL;
            std::visit(
                [&](auto& into) {
                    using Value = typename std::decay_t<decltype(into)>::value_type;
                    if constexpr (std::is_same_v<Value, std::string>) {
                        into.push_back(textAt(_statement, column));
                    } else if constexpr (std::is_same_v<Value, Poco::Nullable<std::string>>) {
                        into.push_back(null ? Value() : Value(textAt(_statement, column)));
                    } else if constexpr (std::is_same_v<Value, Poco::Int64>) {
                        into.push_back(sqlite3_column_int64(_statement, column));
                    } else {
                        into.push_back(null ? Value()
                                            : Value(sqlite3_column_int64(_statement, column)));
                    }
                },
                values);
            ++column;
        }
    }

    sqlite3* const _db;
    sqlite3_stmt* _statement = nullptr;
};

}  // namespace

std::unique_ptr<CachedStatement> prepareSQLiteStatement(sqlite3* db, const std::string& sql,
                                                        std::size_t params,
                                                        const std::vector<ColumnType>& columns) {
    return std::make_unique<SQLiteStatement>(db, sql, params, columns);
}

}  // namespace store
