// Migration scripts: statement splitting, checksums, and the embedded sets of both engines.
#include "store/migrations/Migration.h"

#include <cppunit/extensions/HelperMacros.h>

class MigrationScriptTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(MigrationScriptTest);
    CPPUNIT_TEST(splitsOnSemicolonsAtLineEnds);
    CPPUNIT_TEST(checksumsDifferWhenTheTextDoes);
    CPPUNIT_TEST(bothEnginesHaveTheSameVersionsInOrder);
    CPPUNIT_TEST(firstMigrationCreatesTheVersionTable);
    CPPUNIT_TEST_SUITE_END();

  public:
    void splitsOnSemicolonsAtLineEnds() {
        const auto statements = store::splitStatements(
            "-- comment; not a statement\n"
            "CREATE TABLE a (x TEXT DEFAULT 'a;b');\n"
            "\n"
            "CREATE INDEX i\n"
            "  ON a (x);   \n"
            "INSERT INTO a VALUES ('tail without semicolon')");
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), statements.size());
        CPPUNIT_ASSERT_EQUAL(std::string("CREATE TABLE a (x TEXT DEFAULT 'a;b')"), statements[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("CREATE INDEX i\n  ON a (x)"), statements[1]);
        CPPUNIT_ASSERT_EQUAL(std::string("INSERT INTO a VALUES ('tail without semicolon')"),
                             statements[2]);
        CPPUNIT_ASSERT(store::splitStatements("-- only a comment\n\n").empty());
    }

    void checksumsDifferWhenTheTextDoes() {
        CPPUNIT_ASSERT_EQUAL(std::size_t(40), store::checksumOf("x").size());
        CPPUNIT_ASSERT_EQUAL(store::checksumOf("CREATE TABLE a (x INT);"),
                             store::checksumOf("CREATE TABLE a (x INT);"));
        CPPUNIT_ASSERT(store::checksumOf("CREATE TABLE a (x INT);") !=
                       store::checksumOf("CREATE TABLE a (y INT);"));
    }

    void bothEnginesHaveTheSameVersionsInOrder() {
        const auto& sqlite = store::embeddedMigrations(store::Engine::SQLite);
        const auto& mysql = store::embeddedMigrations(store::Engine::MySQL);
        CPPUNIT_ASSERT(!sqlite.empty());
        CPPUNIT_ASSERT_EQUAL(sqlite.size(), mysql.size());
        for (std::size_t i = 0; i < sqlite.size(); ++i) {
            CPPUNIT_ASSERT_EQUAL(sqlite[i].version, mysql[i].version);
            CPPUNIT_ASSERT_EQUAL(sqlite[i].name, mysql[i].name);
            CPPUNIT_ASSERT(!store::splitStatements(sqlite[i].sql).empty());
            if (i > 0) {
                CPPUNIT_ASSERT(sqlite[i].version > sqlite[i - 1].version);
            }
        }
    }

    void firstMigrationCreatesTheVersionTable() {
        for (auto engine : {store::Engine::SQLite, store::Engine::MySQL}) {
            const auto& first = store::embeddedMigrations(engine).front();
            CPPUNIT_ASSERT_EQUAL(1, first.version);
            CPPUNIT_ASSERT(first.sql.find("CREATE TABLE IF NOT EXISTS scim_schema_version") !=
                           std::string::npos);
        }
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(MigrationScriptTest, "MigrationScriptTest");
