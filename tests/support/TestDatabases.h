// Real databases for tests: fresh SQLite files and fresh databases on the private MariaDB
// that the mariadb.start test fixture runs (connection from TIM_TEST_MYSQL_* variables).
#pragma once

#include <Poco/Data/Session.h>

#include <map>
#include <string>

namespace testing {

struct MariaDBServer {
    std::string host;
    int port = 0;
    std::string user;
    std::string password;

    // From the environment; throws with a clear message when the fixture did not set it.
    static MariaDBServer fromEnvironment();

    // Drops and creates database `name` (utf8mb4) and returns its name.
    std::string freshDatabase(const std::string& name) const;

    // timhost's properties for the plugin on database `name` of this server (used as is).
    std::map<std::string, std::string> hostProperties(const std::string& name) const;

    // A session of the test's own on `database`.
    Poco::Data::Session session(const std::string& database) const;
};

// Every value of every row of every table, as text, one per line: to search a database for a
// value that must never be stored (a clear password).
std::string everyStoredValue(Poco::Data::Session& session);

// A path under a fresh temporary directory, removed when the process exits.
std::string temporaryDirectory(const std::string& prefix);

}  // namespace testing
