// Statements kept per pooled connection, on both engines: a kept read sees what other
// connections committed since, a failed statement is prepared anew, connections the pool closes
// take their statements with them, past the bound the least recently used goes first, and
// nulls bind as NULL. Statements that write no row report
// none changed; a statement with a parameter missing, or two statements, are refused; a closed
// session runs none. Also the ids rows get.
#include "store/engine/Database.h"
#include "store/engine/PreparedStatements.h"
#include "store/engine/SqlSupport.h"
#include "support/EngineFixtures.h"

#include <Poco/Thread.h>

#include <cppunit/extensions/HelperMacros.h>

#include <set>

using namespace Poco::Data::Keywords;
using store::ColumnType;

namespace {

Poco::Logger& testLogger() {
    return Poco::Logger::get("test.prepared");
}

const std::string kReadValue = "SELECT v FROM kept_test WHERE k = ?";

}  // namespace

class PreparedStatementsContract : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PreparedStatementsContract);
    CPPUNIT_TEST(keptReadSeesLaterCommitsOfOtherConnections);
    CPPUNIT_TEST(failedStatementIsPreparedAnew);
    CPPUNIT_TEST(keptWritesReportTheRowsTheyChangedEachRun);
    CPPUNIT_TEST(closedConnectionsDropTheirStatements);
    CPPUNIT_TEST(theStatementUsedLeastRecentlyIsDroppedFirst);
    CPPUNIT_TEST(nullParametersBindAsNull);
    CPPUNIT_TEST(statementsThatWriteNoRowChangedNone);
    CPPUNIT_TEST(aParameterMissingOrASecondStatementIsRefused);
    CPPUNIT_TEST(aClosedSessionRunsNothing);
    CPPUNIT_TEST(newIdsAreVersion4AndDistinct);
    CPPUNIT_TEST(wideResultColumnsAreCounted);
    CPPUNIT_TEST_SUITE_END_ABSTRACT();

  public:
    virtual store::DatabaseConfig freshConfig() = 0;

    void setUp() override {
        _config = freshConfig();
        _config.poolIdleSeconds = 1;  // the pool's janitor closes idle connections quickly
        _database = std::make_unique<store::Database>(_config, testLogger());
        auto session = _database->session();
        session << "CREATE TABLE kept_test (k VARCHAR(20) NOT NULL PRIMARY KEY, v VARCHAR(20) "
                   "NULL, n BIGINT NULL)",
            now;
        session << "INSERT INTO kept_test (k, v, n) VALUES ('a', 'first', 1)", now;
    }

    void tearDown() override { _database.reset(); }

    std::string readValue(Poco::Data::Session& session, const std::string& key) {
        const auto& rows =
            store::runPrepared(session, kReadValue, {store::textParam(key)}, {ColumnType::Text});
        return rows.rows() == 0 ? "<none>" : rows.text(0).front();
    }

    void keptReadSeesLaterCommitsOfOtherConnections() {
        auto reader = _database->session();
        CPPUNIT_ASSERT_EQUAL(std::string("first"), readValue(reader, "a"));
        CPPUNIT_ASSERT_EQUAL(std::string("<none>"), readValue(reader, "b"));
        {
            auto writer = _database->session();  // another connection: the reader is held
            writer << "UPDATE kept_test SET v = 'second' WHERE k = 'a'", now;
            writer << "INSERT INTO kept_test (k, v) VALUES ('b', 'new')", now;
        }
        CPPUNIT_ASSERT_EQUAL(std::string("second"), readValue(reader, "a"));
        CPPUNIT_ASSERT_EQUAL(std::string("new"), readValue(reader, "b"));
        // Rows of an earlier run never leak into a later one.
        CPPUNIT_ASSERT_EQUAL(std::string("<none>"), readValue(reader, "c"));
    }

    void failedStatementIsPreparedAnew() {
        auto session = _database->session();
        const std::string insert = "INSERT INTO kept_test (k, v) VALUES (?, 'x')";
        store::runPrepared(session, insert, {store::textParam("dup")});
        CPPUNIT_ASSERT_THROW(store::runPrepared(session, insert, {store::textParam("dup")}),
                             Poco::Exception);
        store::runPrepared(session, insert, {store::textParam("fresh")});
        CPPUNIT_ASSERT_EQUAL(std::string("x"), readValue(session, "fresh"));
    }

    // A version-checked UPDATE and a multi-row INSERT that skips existing rows decide by the
    // rows they changed: each run of the kept statement reports its own.
    void keptWritesReportTheRowsTheyChangedEachRun() {
        auto session = _database->session();
        const std::string update = "UPDATE kept_test SET v = ?, n = n + 1 WHERE k = ? AND n = ?";
        const auto updated = [&](const std::string& key, Poco::Int64 version) {
            return store::runPrepared(session, update,
                                      {store::textParam("v" + std::to_string(version)),
                                       store::textParam(key), store::numberParam(version)})
                .changed();
        };
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), updated("a", 1));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), updated("a", 1));  // the version moved on
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), updated("a", 2));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), updated("none", 1));

        // Rows repeated to pad the statement to a kept length count once.
        const std::string insert = _database->dialect().insertSkippingExisting(
            "INSERT INTO kept_test (k, v) VALUES (?, 'x'), (?, 'x'), (?, 'x'), (?, 'x')", "k");
        const auto inserted = [&](const std::vector<std::string>& keys) {
            return store::runPrepared(session, insert, store::texts(keys)).changed();
        };
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), inserted({"p", "q", "q", "q"}));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), inserted({"p", "r", "r", "r"}));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), inserted({"a", "p", "q", "r"}));
        CPPUNIT_ASSERT_EQUAL(std::string("x"), readValue(session, "r"));
    }

    // Reads on three connections at once, all kept.
    void readOnThreeConnections() {
        auto first = _database->session();
        auto second = _database->session();
        auto third = _database->session();
        for (auto* session : {&first, &second, &third}) {
            CPPUNIT_ASSERT_EQUAL(std::string("first"), readValue(*session, "a"));
        }
    }

    void closedConnectionsDropTheirStatements() {
        readOnThreeConnections();
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), store::connectionsWithPreparedStatements());
        // Idle past poolIdleSeconds, the pool's janitor closes all but poolMin (1).
        for (int waited = 0; _database->openConnections() > 1 && waited < 100; ++waited) {
            Poco::Thread::sleep(100);
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _database->openConnections());
        // Two new connections: the statements of the two closed ones are gone (else 5).
        readOnThreeConnections();
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), _database->openConnections());
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), store::connectionsWithPreparedStatements());
    }

    // Past the bound a connection drops the statement it used least recently: a read run
    // between each of 100 statements used once is never prepared again, the connection keeps
    // the bound, and the oldest of the 100 is prepared anew when it comes back.
    void theStatementUsedLeastRecentlyIsDroppedFirst() {
        auto session = _database->session();
        const auto usedOnce = [&](int i) {
            return store::runPrepared(
                       session,
                       kReadValue + " AND " + std::to_string(i) + " = " + std::to_string(i),
                       {store::textParam("a")}, {ColumnType::Text})
                .text(0)
                .front();
        };
        CPPUNIT_ASSERT_EQUAL(std::string("first"), readValue(session, "a"));
        const std::size_t before = store::keptStatementsPrepared();
        for (int i = 0; i < 100; ++i) {
            CPPUNIT_ASSERT_EQUAL(std::string("first"), usedOnce(i));
            CPPUNIT_ASSERT_EQUAL(std::string("first"), readValue(session, "a"));
        }
        CPPUNIT_ASSERT_EQUAL(before + 100, store::keptStatementsPrepared());
        CPPUNIT_ASSERT_EQUAL(store::kStatementsKeptPerConnection, store::keptStatementsOn(session));
        CPPUNIT_ASSERT_EQUAL(std::string("first"), usedOnce(99));  // still kept
        CPPUNIT_ASSERT_EQUAL(before + 100, store::keptStatementsPrepared());
        CPPUNIT_ASSERT_EQUAL(std::string("first"), usedOnce(0));  // dropped long ago
        CPPUNIT_ASSERT_EQUAL(before + 101, store::keptStatementsPrepared());
    }

    void nullParametersBindAsNull() {
        auto session = _database->session();
        store::runPrepared(
            session, "INSERT INTO kept_test (k, v, n) VALUES (?, ?, ?)",
            {store::textParam("nulls"), store::nullableTextParam({}), store::numberParam(7)});
        const auto& rows = store::runPrepared(
            session, "SELECT v, n FROM kept_test WHERE k = ?", {store::textParam("nulls")},
            {ColumnType::NullableText, ColumnType::NullableInteger});
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), rows.rows());
        CPPUNIT_ASSERT(rows.nullableText(0).front().isNull());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(7), rows.nullableInteger(1).front().value());
    }

    void statementsThatWriteNoRowChangedNone() {
        auto session = _database->session();
        store::runPrepared(session, "BEGIN", {});
        const std::string update = "UPDATE kept_test SET n = n + 1 WHERE k = ?";
        CPPUNIT_ASSERT_EQUAL(
            std::size_t(1), store::runPrepared(session, update, {store::textParam("a")}).changed());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0),
                             store::runPrepared(session, "SAVEPOINT s", {}).changed());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0),
                             store::runPrepared(session, "RELEASE SAVEPOINT s", {}).changed());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), store::runPrepared(session, "COMMIT", {}).changed());
    }

    void aParameterMissingOrASecondStatementIsRefused() {
        auto session = _database->session();
        // Unbound, the second parameter would read as NULL: no row, and no error.
        CPPUNIT_ASSERT_THROW(
            store::runPrepared(session, "SELECT v FROM kept_test WHERE k = ? OR v = ?",
                               {store::textParam("a")}, {ColumnType::Text}),
            Poco::Exception);
        CPPUNIT_ASSERT_THROW(
            store::runPrepared(
                session, "UPDATE kept_test SET v = 'one'; UPDATE kept_test SET v = 'two'", {}),
            Poco::Exception);
        CPPUNIT_ASSERT_EQUAL(std::string("first"), readValue(session, "a"));
    }

    // On SQLite a closed connection's handle is freed once its last statement goes: stepping
    // or preparing on it would touch freed memory (before, SQLITE_MISUSE on a half-closed one).
    void aClosedSessionRunsNothing() {
        Poco::Data::Session session = _database->unpooledSession();
        CPPUNIT_ASSERT_EQUAL(std::string("first"), readValue(session, "a"));
        session.close();
        CPPUNIT_ASSERT_THROW(readValue(session, "a"), Poco::Data::NotConnectedException);
    }

    void newIdsAreVersion4AndDistinct() {
        std::set<std::string> ids;
        for (int i = 0; i < 10000; ++i) {
            const std::string id = store::newId();
            CPPUNIT_ASSERT_EQUAL(std::size_t(36), id.size());
            CPPUNIT_ASSERT_EQUAL('4', id[14]);
            CPPUNIT_ASSERT(std::string("89ab").find(id[19]) != std::string::npos);
            ids.insert(id);
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(10000), ids.size());
    }

    // On MariaDB a MEDIUMTEXT result column (here the one a UNION of TEXT and VARCHAR yields)
    // costs a 64 MB buffer, zeroed at each execution, rows or none; a TEXT one does not count.
    // SQLite has no such buffer.
    void wideResultColumnsAreCounted() {
        auto session = _database->session();
        session << "CREATE TABLE wide_test (t TEXT NOT NULL)", now;
        session << "INSERT INTO wide_test (t) VALUES ('long')", now;
        const auto before = store::wideResultColumnsSeen();
        const auto& narrow =
            store::runPrepared(session, "SELECT t FROM wide_test", {}, {ColumnType::Text});
        CPPUNIT_ASSERT_EQUAL(std::string("long"), narrow.text(0).at(0));
        CPPUNIT_ASSERT_EQUAL(before, store::wideResultColumnsSeen());

        const auto& wide = store::runPrepared(
            session, "SELECT v FROM kept_test UNION ALL SELECT t FROM wide_test ORDER BY 1", {},
            {ColumnType::Text});
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), wide.rows());
        const bool mariadb = _config.engine == store::Engine::MySQL;
        CPPUNIT_ASSERT_EQUAL(before + (mariadb ? 1 : 0), store::wideResultColumnsSeen());

        const auto& none = store::runPrepared(
            session,
            "SELECT v FROM kept_test WHERE 1 = 0 UNION ALL SELECT t FROM wide_test "
            "WHERE 1 = 0",
            {}, {ColumnType::Text});
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), none.rows());
        CPPUNIT_ASSERT_EQUAL(before + (mariadb ? 2 : 0), store::wideResultColumnsSeen());
    }

  private:
    store::DatabaseConfig _config;
    std::unique_ptr<store::Database> _database;
};

TIM_ENGINE_SUITES(PreparedStatements);

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(PreparedStatementsSQLiteTest, "PreparedStatementsSQLiteTest");
CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(PreparedStatementsMariaDBTest,
                                      "PreparedStatementsMariaDBTest");
