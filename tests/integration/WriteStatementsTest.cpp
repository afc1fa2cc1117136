// Statements per write, on both engines: Entra's POST /Users, its PATCH of active, and a member
// added to a group, each through the endpoint and TIM's use case as the plugin builds them, over
// a pool of one connection. MariaDB counts them itself (the session's Questions); on SQLite the
// connection reports each statement it starts (sqlite3_trace_v2, the programs of triggers left
// out). A change that adds a statement to a write fails here (issue 35 cuts them).
#include "store/engine/PreparedStatements.h"
#include "support/ApiRequests.h"
#include "support/EngineFixtures.h"
#include "support/ServiceOverStores.h"
#include "support/StoreFixture.h"

#include <Poco/Data/SQLite/Utility.h>
#include <Poco/JSON/Parser.h>

#include <cppunit/extensions/HelperMacros.h>

#include <sqlite3.h>

#include <atomic>
#include <string>
#include <vector>

namespace {

// Entra's POST body for a new user.
std::string entraUser(const std::string& name, const std::string& externalId) {
    return R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User",)"
           R"("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],)"
           R"("externalId":")" +
           externalId + R"(","userName":")" + name + R"(@example.com","active":true,)" +
           R"("displayName":")" + name + R"(","emails":[{"primary":true,"type":"work",)" +
           R"("value":")" + name + R"(@example.com"}],)" +
           R"("name":{"formatted":"Ann Example","familyName":"Example","givenName":"Ann"}})";
}

const std::string kDisable = R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],)"
                             R"("Operations":[{"op":"Replace","path":"active","value":"False"}]})";

std::string memberAdd(const std::string& userId) {
    return R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],)"
           R"("Operations":[{"op":"Add","path":"members","value":[{"value":")" +
           userId + R"("}]}]})";
}

std::string idIn(const api::Response& response) {
    return Poco::JSON::Parser()
        .parse(response.body)
        .extract<Poco::JSON::Object::Ptr>()
        ->getValue<std::string>("id");
}

// Counts the statements an SQLite connection starts; a trigger's program is no statement.
int countStatement(unsigned, void* counter, void*, void* sql) {
    const char* text = static_cast<const char*>(sql);
    if (text == nullptr || std::string(text).rfind("--", 0) != 0) {
        ++*static_cast<std::atomic<long>*>(counter);
    }
    return 0;
}

}  // namespace

class WriteStatementsContract : public testing::StoreFixture {
    CPPUNIT_TEST_SUITE(WriteStatementsContract);
    CPPUNIT_TEST(entrasWritesCostTheirStatements);
    CPPUNIT_TEST_SUITE_END_ABSTRACT();

  public:
    void tearDown() override {
        if (_traced) {
            Poco::Data::Session session = _database->session();
            sqlite3_trace_v2(Poco::Data::SQLite::Utility::dbHandle(session), 0, nullptr, nullptr);
        }
        StoreFixture::tearDown();
    }

    void configure(store::DatabaseConfig& config) override { testing::useOneConnection(config); }

    // POST: the candidates a new user could bind with the snapshots a restore would take, its
    // row, the audit row, in one transaction. PATCH: the read the change is computed from, then the
    // version-checked update, the audit row and the read-back in one transaction. A member
    // added: the group locked and read, the member looked up as a user or a group, its row,
    // the audit row and the group's new version, in one transaction.
    void entrasWritesCostTheirStatements() {
        const auto wideBefore = store::wideResultColumnsSeen();  // before anything is prepared
        const testing::ServiceOverStores served(*_users, *_groups,
                                                Poco::Logger::get("test.writes"));
        const api::ScimService& service = served.service;
        const std::string group =
            idIn(service.handle(testing::apiRequest("POST", "/Groups", R"({"displayName":"G"})")));
        // Statements prepared and kept: the counts below are those of a warm connection.
        const std::string warm = idIn(service.handle(
            testing::apiRequest("POST", "/Users", entraUser("warm", "0a21f0f2-warm"))));
        service.handle(testing::apiRequest("PATCH", "/Users/" + warm, kDisable));
        service.handle(testing::apiRequest("PATCH", "/Groups/" + group, memberAdd(warm)));

        const auto kept = store::keptStatementsPrepared();
        Cost before = costSoFar();
        const auto created =
            service.handle(testing::apiRequest("POST", "/Users", entraUser("ann", "0a21f0f2-ann")));
        const Cost post = costSoFar() - before;
        CPPUNIT_ASSERT_EQUAL(201, created.status);
        const std::string ann = idIn(created);

        before = costSoFar();
        const auto disabled =
            service.handle(testing::apiRequest("PATCH", "/Users/" + ann, kDisable));
        const Cost patch = costSoFar() - before;
        CPPUNIT_ASSERT_EQUAL(200, disabled.status);

        before = costSoFar();
        const auto added =
            service.handle(testing::apiRequest("PATCH", "/Groups/" + group, memberAdd(ann)));
        const Cost member = costSoFar() - before;
        CPPUNIT_ASSERT_EQUAL(204, added.status);

        const std::string counts = "statements (prepared anew) POST " + post.text() + ", PATCH " +
                                   patch.text() + ", member add " + member.text();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(counts, 5L, post.statements);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(counts, 6L, patch.statements);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(counts, 7L, member.statements);
        // The statements a warm connection keeps are all there: none prepared to be kept.
        CPPUNIT_ASSERT_EQUAL_MESSAGE(counts, kept, store::keptStatementsPrepared());
        // No result column for which Poco's MySQL connector would zero a huge buffer at each
        // execution (MariaDB only: SQLite's own statements have no such buffer).
        CPPUNIT_ASSERT_EQUAL_MESSAGE(counts, wideBefore, store::wideResultColumnsSeen());
        if (_config.engine == store::Engine::SQLite) {
            // SQLite's own statements, prepared once: the 14 distinct statements of the POST,
            // the PATCH and the member add (BEGIN, COMMIT and the audit insert are shared) each
            // ran in both rounds (Poco's connector prepares anew on every execute: 0).
            CPPUNIT_ASSERT_EQUAL_MESSAGE(counts, 14, statementsRunTwice());
        } else {
            // Nothing prepared anew (which costs MariaDB a round trip and a parse more).
            CPPUNIT_ASSERT_EQUAL_MESSAGE(counts, 0L, post.prepares);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(counts, 0L, patch.prepares);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(counts, 0L, member.prepares);
        }
    }

  private:
    // Statements run, and (MariaDB) statements prepared, on the pool's one connection.
    struct Cost {
        long statements = 0;
        long prepares = 0;  // MariaDB only: Poco's SQLite connector prepares every statement

        Cost operator-(const Cost& earlier) const {
            return {statements - earlier.statements, prepares - earlier.prepares};
        }
        std::string text() const {
            return std::to_string(statements) + " (" + std::to_string(prepares) + ")";
        }
    };

    // What the pool's one connection has run so far, the asking statements left out.
    Cost costSoFar() {
        Poco::Data::Session session = _database->session();
        if (_config.engine == store::Engine::SQLite) {
            if (!_traced) {
                sqlite3_trace_v2(Poco::Data::SQLite::Utility::dbHandle(session), SQLITE_TRACE_STMT,
                                 countStatement, &_sqliteStatements);
                _traced = true;
            }
            return {_sqliteStatements, 0};
        }
        std::vector<std::string> names;
        std::vector<Poco::Int64> values;
        session << "SHOW SESSION STATUS WHERE Variable_name IN ('Questions', 'Com_stmt_prepare')",
            Poco::Data::Keywords::into(names), Poco::Data::Keywords::into(values),
            Poco::Data::Keywords::now;
        ++_asked;  // this SHOW is one statement, prepared anew
        Cost cost;
        for (std::size_t i = 0; i < names.size(); ++i) {
            (names[i] == "Questions" ? cost.statements : cost.prepares) =
                static_cast<long>(values[i]) - _asked;
        }
        return cost;
    }

    // Statements the SQLite connection holds prepared that have run twice or more.
    int statementsRunTwice() {
        Poco::Data::Session session = _database->session();
        sqlite3* db = Poco::Data::SQLite::Utility::dbHandle(session);
        int count = 0;
        for (sqlite3_stmt* s = sqlite3_next_stmt(db, nullptr); s; s = sqlite3_next_stmt(db, s)) {
            count += sqlite3_stmt_status(s, SQLITE_STMTSTATUS_RUN, 0) >= 2 ? 1 : 0;
        }
        return count;
    }

    std::atomic<long> _sqliteStatements{0};
    bool _traced = false;
    long _asked = 0;  // SHOW STATUS statements counted by the server
};
TIM_ENGINE_SUITES(WriteStatements);

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(WriteStatementsSQLiteTest, "WriteStatementsSQLiteTest");
CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(WriteStatementsMariaDBTest, "WriteStatementsMariaDBTest");
