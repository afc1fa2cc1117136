// Why the database cannot be opened, said so that an operator can fix it from one log line:
// the file or server, the account the process runs as, and what to do.
#pragma once

#include "SqlDialect.h"

#include <string>

namespace store {

struct DatabaseConfig;

// The operating-system account this process runs as ("uid N" when it has no name).
std::string processAccount();

// Empty when this process may create, read and write `file` and its WAL files; otherwise the
// reason, naming the path, its owner and mode, this process's account and the fix.
std::string sqliteFileProblem(const std::string& file);

// What to do about an open that failed with `cause` (a driver's message).
std::string openFailureFix(const DatabaseConfig& config, const std::string& cause);

}  // namespace store
