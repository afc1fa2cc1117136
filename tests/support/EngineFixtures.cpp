#include "EngineFixtures.h"

#include "TestDatabases.h"

#include <Poco/Process.h>

#include <atomic>

namespace testing {

store::DatabaseConfig freshSQLiteConfig() {
    store::DatabaseConfig config;
    config.engine = store::Engine::SQLite;
    config.file = temporaryDirectory("tim-sqlite-") + "/tim-scim.db";
    return config;
}

void useOneConnection(store::DatabaseConfig& config) {
    config.poolMin = 1;
    config.poolMax = 1;
}

store::DatabaseConfig mariaDBConfig(const MariaDBServer& server, const std::string& database) {
    store::DatabaseConfig config;
    config.engine = store::Engine::MySQL;
    config.host = server.host;
    config.port = server.port;
    config.user = server.user;
    config.password = server.password;
    config.name = database;
    return config;
}

store::DatabaseConfig freshMariaDBConfig() {
    static std::atomic<int> databases{0};
    const auto server = MariaDBServer::fromEnvironment();
    // Suites run as parallel processes against one server: names must not collide.
    return mariaDBConfig(
        server, server.freshDatabase("tim_it_" + std::to_string(Poco::Process::id()) + "_" +
                                     std::to_string(++databases)));
}

}  // namespace testing
