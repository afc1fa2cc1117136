// A versioned schema change from sql/<engine>/NNNN_name.sql, embedded at build time.
#pragma once

#include <string>
#include <vector>

namespace store {

enum class Engine { SQLite, MySQL };

struct Migration {
    int version;       // NNNN from the file name; applied in increasing order
    std::string name;  // the file name
    std::string sql;   // statements, each ending with ';' at the end of a line
};

// The migrations of sql/<engine>/, ordered by version (generated from the sql/ directory).
const std::vector<Migration>& embeddedMigrations(Engine engine);

// Splits a migration script into statements: a statement ends with ';' at the end of a line;
// lines starting with "--" are comments.
std::vector<std::string> splitStatements(const std::string& script);

// Hex SHA-1 of the script, recorded so an edited migration is noticed.
std::string checksumOf(const std::string& script);

}  // namespace store
