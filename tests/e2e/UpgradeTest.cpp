// An upgrade never hands SCIM a TIM administrator (issue 30): a database that an earlier
// plugin brought to migration 0008, holding TIM's own administrator and user next to the users
// SCIM created, is upgraded by today's host; afterwards only what SCIM left evidence of is
// SCIM's. Over HTTP through timhost, on SQLite and on the test MariaDB.
#include "store/engine/SqlDialect.h"
#include "store/migrations/Migration.h"
#include "store/migrations/MigrationRunner.h"
#include "support/AccountFixture.h"
#include "support/TestDatabases.h"

#include <Poco/Logger.h>

#include <cppunit/extensions/HelperMacros.h>

using namespace Poco::Data::Keywords;
using testing::Credentials;
using testing::idOf;

namespace {

const std::string kPassword =
    R"({"Operations":[{"op":"replace","path":"password","value":"Up-9rade-x"}]})";

// A person row as an earlier version left it.
void insertPerson(Poco::Data::Session& session, const std::string& id, const std::string& name,
                  const std::string& externalId) {
    std::string key = id;
    std::string userName = name;
    Poco::Nullable<std::string> external;
    if (!externalId.empty()) {
        external = externalId;
    }
    std::string doc = R"({"userName":")" + name + R"("})";
    session << "INSERT INTO tim_user (id, user_name, user_name_key, kind, active, created_ms, "
               "modified_ms, external_id, doc, version, password_hash, password_change_required) "
               "VALUES (?, ?, ?, 'person', 1, 1700000000000, 1700000000000, ?, ?, 1, "
               "'pbkdf2-sha256$1$c2FsdA==$aGFzaA==', 0)",
        use(key), use(userName), use(userName), use(external), use(doc), now;
}

void auditCreate(Poco::Data::Session& session, const std::string& id) {
    std::string key = id;
    session << "INSERT INTO scim_audit (at_ms, operation, resource_type, resource_id, changed, "
               "outcome) VALUES (1700000000000, 'create', 'User', ?, 'userName', 'applied')",
        use(key), now;
}

}  // namespace

class UpgradeContract : public CppUnit::TestFixture, public testing::AccountFixture {
    CPPUNIT_TEST_SUITE(UpgradeContract);
    CPPUNIT_TEST(anUpgradeFrom0008KeepsTimsAccountsTims);
    CPPUNIT_TEST_SUITE_END_ABSTRACT();

  public:
    virtual store::Engine engine() const = 0;
    virtual std::unique_ptr<store::SqlDialect> dialect() const = 0;

    void tearDown() override { _host.reset(); }

    void anUpgradeFrom0008KeepsTimsAccountsTims() {
        const auto properties = databaseProperties();
        {
            Poco::Data::Session session = database();
            const auto& all = store::embeddedMigrations(engine());
            const std::vector<store::Migration> upTo8(all.begin(), all.begin() + 8);
            CPPUNIT_ASSERT_EQUAL(8, upTo8.back().version);
            const auto sqlDialect = dialect();
            store::MigrationRunner(session, *sqlDialect, Poco::Logger::get("test.upgrade"))
                .run(upTo8);
            // TIM's own: an administrator and a user, neither with an externalId nor a trace
            // in SCIM's audit.
            insertPerson(session, "00-admin", "admin.local", "");
            session << "INSERT INTO tim_role (name_key, name, internal) VALUES ('admin', "
                       "'admin', 0)",
                now;
            session << "INSERT INTO tim_user_role (user_id, role_key, source) VALUES "
                       "('00-admin', 'admin', 'tim')",
                now;
            insertPerson(session, "01-local", "user.local", "");
            // SCIM's: created with an externalId, and one without but in the audit.
            insertPerson(session, "02-scim", "entra.one", "ext-1");
            auditCreate(session, "02-scim");
            insertPerson(session, "03-scim", "other.client", "");
            auditCreate(session, "03-scim");
        }
        startHostOn(properties);  // applies 0009 and later
        const Credentials admin = credentials("00-admin");
        CPPUNIT_ASSERT_EQUAL(0, admin.managed);
        CPPUNIT_ASSERT_EQUAL(404, request("GET", "/Users/00-admin").status);
        CPPUNIT_ASSERT_EQUAL(404, request("PATCH", "/Users/00-admin", kPassword).status);
        CPPUNIT_ASSERT(admin == credentials("00-admin"));

        CPPUNIT_ASSERT_EQUAL(0, credentials("01-local").managed);
        CPPUNIT_ASSERT_EQUAL(200, request("GET", "/Users/01-local").status);  // bindable
        const auto local = request("PATCH", "/Users/01-local", kPassword);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(local.body, 403, local.status);

        for (const char* scim : {"02-scim", "03-scim"}) {
            CPPUNIT_ASSERT_EQUAL(1, credentials(scim).managed);
            const std::string before = credentials(scim).hash;
            const auto patched = request("PATCH", std::string("/Users/") + scim, kPassword);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(patched.body, 200, patched.status);
            CPPUNIT_ASSERT(credentials(scim).hash != before);
        }
    }
};

class UpgradeSQLiteTest : public UpgradeContract {
    CPPUNIT_TEST_SUB_SUITE(UpgradeSQLiteTest, UpgradeContract);
    CPPUNIT_TEST_SUITE_END();

  public:
    store::Engine engine() const override { return store::Engine::SQLite; }
    std::unique_ptr<store::SqlDialect> dialect() const override {
        return store::makeSQLiteDialect("NORMAL", 5000);
    }
    std::map<std::string, std::string> databaseProperties() override {
        _file = testing::temporaryDirectory("tim-upgrade") + "/tim-scim.db";
        return {{"scim.db.file", _file}};
    }
    Poco::Data::Session database() override { return testing::sqliteSession(_file); }

  private:
    std::string _file;
};

class UpgradeMariaDBTest : public UpgradeContract {
    CPPUNIT_TEST_SUB_SUITE(UpgradeMariaDBTest, UpgradeContract);
    CPPUNIT_TEST_SUITE_END();

  public:
    store::Engine engine() const override { return store::Engine::MySQL; }
    std::unique_ptr<store::SqlDialect> dialect() const override {
        return store::makeMySQLDialect(5);
    }
    std::map<std::string, std::string> databaseProperties() override {
        _server = testing::MariaDBServer::fromEnvironment();
        _name = _server.freshDatabase("tim_e2e_upgrade_" + std::to_string(testing::processId()));
        return _server.hostProperties(_name);
    }
    Poco::Data::Session database() override { return _server.session(_name); }

  private:
    testing::MariaDBServer _server;
    std::string _name;
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(UpgradeSQLiteTest, "UpgradeSQLiteTest");
CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(UpgradeMariaDBTest, "UpgradeMariaDBTest");
