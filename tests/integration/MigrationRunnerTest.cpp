// Migrations against real engines: the same contract on SQLite files and the test MariaDB.
#include "store/engine/Database.h"
#include "store/migrations/MigrationRunner.h"
#include "support/EngineFixtures.h"
#include "support/TestDatabases.h"

#include <Poco/Exception.h>

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <iostream>
#include <thread>

namespace {

using namespace Poco::Data::Keywords;

Poco::Logger& testLogger() {
    return Poco::Logger::get("test.migrations");
}

std::vector<store::Migration> withExtra(store::Engine engine,
                                        const std::vector<store::Migration>& extra) {
    auto all = store::embeddedMigrations(engine);
    all.insert(all.end(), extra.begin(), extra.end());
    return all;
}

const store::Migration kCreateWidgets{1001, "1001_widgets.sql",
                                      "CREATE TABLE widgets (id INT PRIMARY KEY, label "
                                      "VARCHAR(40) NOT NULL);\n"
                                      "INSERT INTO widgets (id, label) VALUES (1, 'first');\n"};
const store::Migration kCreateGadgets{1002, "1002_gadgets.sql",
                                      "CREATE TABLE gadgets (id INT PRIMARY KEY);\n"};

}  // namespace

class MigrationRunnerContract : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(MigrationRunnerContract);
    CPPUNIT_TEST(appliesEmbeddedMigrationsOnceAndRecordsThem);
    CPPUNIT_TEST(appliesOnlyPendingMigrationsInOrder);
    CPPUNIT_TEST(refusesAMigrationEditedAfterItRan);
    CPPUNIT_TEST(failedMigrationIsNotRecorded);
    CPPUNIT_TEST(concurrentStartsApplyEachMigrationOnce);
    CPPUNIT_TEST_SUITE_END_ABSTRACT();

  public:
    virtual store::DatabaseConfig freshConfig() = 0;

    void appliesEmbeddedMigrationsOnceAndRecordsThem() {
        const auto config = freshConfig();
        const auto& embedded = store::embeddedMigrations(config.engine);
        std::vector<store::AppliedMigration> first;
        {
            store::Database db(config, testLogger());
            CPPUNIT_ASSERT_EQUAL(embedded.size(), db.migrate());
            first = appliedOf(db);
        }
        store::Database again(config, testLogger());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), again.migrate());
        const auto second = appliedOf(again);
        CPPUNIT_ASSERT_EQUAL(embedded.size(), second.size());
        for (std::size_t i = 0; i < embedded.size(); ++i) {
            CPPUNIT_ASSERT_EQUAL(embedded[i].version, second[i].version);
            CPPUNIT_ASSERT_EQUAL(embedded[i].name, second[i].name);
            CPPUNIT_ASSERT_EQUAL(store::checksumOf(embedded[i].sql), second[i].checksum);
            CPPUNIT_ASSERT_EQUAL(first[i].appliedAt, second[i].appliedAt);  // untouched
        }
    }

    void appliesOnlyPendingMigrationsInOrder() {
        store::Database db(freshConfig(), testLogger());
        const auto engine = db.config().engine;
        CPPUNIT_ASSERT_EQUAL(store::embeddedMigrations(engine).size() + 1,
                             run(db, withExtra(engine, {kCreateWidgets})));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1),
                             run(db, withExtra(engine, {kCreateWidgets, kCreateGadgets})));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0),
                             run(db, withExtra(engine, {kCreateWidgets, kCreateGadgets})));
        const auto applied = appliedOf(db);
        CPPUNIT_ASSERT_EQUAL(1002, applied.back().version);
        CPPUNIT_ASSERT_EQUAL(1001, applied[applied.size() - 2].version);
        CPPUNIT_ASSERT_EQUAL(1, countRows(db, "widgets"));  // the INSERT ran exactly once
    }

    void refusesAMigrationEditedAfterItRan() {
        store::Database db(freshConfig(), testLogger());
        const auto engine = db.config().engine;
        run(db, withExtra(engine, {kCreateWidgets}));
        store::Migration edited = kCreateWidgets;
        edited.sql += "-- edited\n";
        try {
            run(db, withExtra(engine, {edited, kCreateGadgets}));
            CPPUNIT_FAIL("an edited migration was accepted");
        } catch (const Poco::DataException& e) {
            CPPUNIT_ASSERT_MESSAGE(e.message(),
                                   e.message().find("1001_widgets.sql") != std::string::npos);
        }
        CPPUNIT_ASSERT_EQUAL(1001, appliedOf(db).back().version);  // gadgets did not run
    }

    void failedMigrationIsNotRecorded() {
        store::Database db(freshConfig(), testLogger());
        const auto engine = db.config().engine;
        const store::Migration broken{1003, "1003_broken.sql", "CREATE TABLE oops (;\n"};
        CPPUNIT_ASSERT_THROW(run(db, withExtra(engine, {kCreateWidgets, broken})),
                             Poco::DataException);
        const auto applied = appliedOf(db);
        for (const auto& m : applied) {
            CPPUNIT_ASSERT(m.version != 1003);
        }
        // The next start applies what is still missing once the file is fixed.
        const store::Migration fixed{1003, "1003_broken.sql", "CREATE TABLE oops (id INT);\n"};
        run(db, withExtra(engine, {kCreateWidgets, fixed}));
        CPPUNIT_ASSERT_EQUAL(1003, appliedOf(db).back().version);
    }

    void concurrentStartsApplyEachMigrationOnce() {
        const auto config = freshConfig();
        const auto migrations = withExtra(config.engine, {kCreateWidgets, kCreateGadgets});
        std::atomic<std::size_t> applied{0};
        std::atomic<int> failures{0};
        std::vector<std::thread> instances;
        for (int i = 0; i < 4; ++i) {
            instances.emplace_back([&] {
                try {
                    store::Database db(config, testLogger());  // its own pool, like a process
                    applied += run(db, migrations);
                } catch (const Poco::Exception& e) {
                    std::cerr << "instance failed: " << e.displayText() << std::endl;
                    ++failures;
                }
            });
        }
        for (auto& t : instances) {
            t.join();
        }
        CPPUNIT_ASSERT_EQUAL(0, failures.load());
        CPPUNIT_ASSERT_EQUAL(migrations.size(), applied.load());
        store::Database db(config, testLogger());
        CPPUNIT_ASSERT_EQUAL(migrations.size(), appliedOf(db).size());
        CPPUNIT_ASSERT_EQUAL(1, countRows(db, "widgets"));
    }

  protected:
    static std::size_t run(store::Database& db, const std::vector<store::Migration>& migrations) {
        Poco::Data::Session session = db.session();
        return store::MigrationRunner(session, db.dialect(), testLogger()).run(migrations);
    }

    static std::vector<store::AppliedMigration> appliedOf(store::Database& db) {
        Poco::Data::Session session = db.session();
        return store::MigrationRunner(session, db.dialect(), testLogger()).applied();
    }

    static int countRows(store::Database& db, const std::string& table) {
        Poco::Data::Session session = db.session();
        Poco::Int64 count = 0;
        session << "SELECT COUNT(*) FROM " + table, into(count), now;
        return static_cast<int>(count);
    }
};

class MigrationRunnerSQLiteTest : public MigrationRunnerContract {
    CPPUNIT_TEST_SUB_SUITE(MigrationRunnerSQLiteTest, MigrationRunnerContract);
    CPPUNIT_TEST(unwritableFileGivesAClearError);
    CPPUNIT_TEST_SUITE_END();

  public:
    store::DatabaseConfig freshConfig() override { return testing::freshSQLiteConfig(); }

    void unwritableFileGivesAClearError() {
        store::DatabaseConfig config;
        config.engine = store::Engine::SQLite;
        config.file = "/nonexistent-dir/tim-scim.db";
        try {
            store::Database db(config, testLogger());
            CPPUNIT_FAIL("opened a database in a missing directory");
        } catch (const Poco::DataException& e) {
            CPPUNIT_ASSERT_MESSAGE(
                e.message(), e.message().find("/nonexistent-dir/tim-scim.db") != std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(
                e.message(), e.message().find("the directory /nonexistent-dir/ does not "
                                              "exist: create it, owned by ") != std::string::npos);
        }
    }
};

class MigrationRunnerMariaDBTest : public MigrationRunnerContract {
    CPPUNIT_TEST_SUB_SUITE(MigrationRunnerMariaDBTest, MigrationRunnerContract);
    CPPUNIT_TEST(unreachableServerGivesAClearErrorWithoutThePassword);
    CPPUNIT_TEST(wrongPasswordGivesAClearErrorWithoutThePassword);
    CPPUNIT_TEST_SUITE_END();

  public:
    store::DatabaseConfig freshConfig() override { return testing::freshMariaDBConfig(); }

    void unreachableServerGivesAClearErrorWithoutThePassword() {
        auto config = freshConfig();
        config.port = 1;  // nothing listens there
        config.password = "s3cret-never-logged";
        expectOpenFailure(config, "127.0.0.1:1");
    }

    void wrongPasswordGivesAClearErrorWithoutThePassword() {
        auto config = freshConfig();
        config.password = "s3cret-never-logged";
        expectOpenFailure(config, "Access denied");
    }

  private:
    static void expectOpenFailure(const store::DatabaseConfig& config,
                                  const std::string& expected) {
        try {
            store::Database db(config, testLogger());
            CPPUNIT_FAIL("opened a database that should be unreachable");
        } catch (const Poco::DataException& e) {
            CPPUNIT_ASSERT_MESSAGE(e.message(), e.message().find(expected) != std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(e.message(),
                                   e.message().find("s3cret-never-logged") == std::string::npos);
        }
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(MigrationRunnerSQLiteTest, "MigrationRunnerSQLiteTest");
CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(MigrationRunnerMariaDBTest, "MigrationRunnerMariaDBTest");
