// Fresh database configurations for suites that run the same contract on both engines.
#pragma once

#include "store/Database.h"

namespace testing {

store::DatabaseConfig freshSQLiteConfig();
store::DatabaseConfig freshMariaDBConfig();  // needs the mariadb CTest fixture

}  // namespace testing
