// A statement kept prepared with SQLite's own API: Poco's SQLite connector prepares a statement
// anew (sqlite3_prepare_v2) on every execute, so a kept Poco statement saves nothing there
// (issue 35). Binds and extracts what a Poco statement would, and fails with the exceptions
// Poco's connector throws for the same result codes, so that the dialect reads both alike.
#pragma once

#include "CachedStatement.h"

#include <memory>

extern "C" {
typedef struct sqlite3 sqlite3;
}

namespace store {

// `sql`: one statement with `params` parameters (else Poco::Data::DataException).
std::unique_ptr<CachedStatement> prepareSQLiteStatement(sqlite3* db, const std::string& sql,
                                                        std::size_t params,
                                                        const std::vector<ColumnType>& columns);

}  // namespace store
