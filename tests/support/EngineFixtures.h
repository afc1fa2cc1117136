// Fresh database configurations for suites that run the same contract on both engines.
#pragma once

#include "TestDatabases.h"
#include "store/engine/Database.h"

namespace testing {

store::DatabaseConfig freshSQLiteConfig();
store::DatabaseConfig freshMariaDBConfig();  // needs the mariadb CTest fixture
// A pool of one connection: what one connection's statements cost shows alone.
void useOneConnection(store::DatabaseConfig& config);
// Database `database` on `server`.
store::DatabaseConfig mariaDBConfig(const MariaDBServer& server, const std::string& database);

}  // namespace testing

// Declares <Name>SQLiteTest and <Name>MariaDBTest, each running every test of <Name>Contract
// (which declares `virtual store::DatabaseConfig freshConfig() = 0`) on its engine. Register
// them on lines of their own (CppUnit names registrations by line).
#define TIM_ENGINE_SUITES(Name)                                                                \
    class Name##SQLiteTest : public Name##Contract {                                           \
        CPPUNIT_TEST_SUB_SUITE(Name##SQLiteTest, Name##Contract);                              \
        CPPUNIT_TEST_SUITE_END();                                                              \
                                                                                               \
      public:                                                                                  \
        store::DatabaseConfig freshConfig() override { return testing::freshSQLiteConfig(); }  \
    };                                                                                         \
    class Name##MariaDBTest : public Name##Contract {                                          \
        CPPUNIT_TEST_SUB_SUITE(Name##MariaDBTest, Name##Contract);                             \
        CPPUNIT_TEST_SUITE_END();                                                              \
                                                                                               \
      public:                                                                                  \
        store::DatabaseConfig freshConfig() override { return testing::freshMariaDBConfig(); } \
    }
