// Writes cut off in their middle, on the test MariaDB. A request that has written part of a
// role group (its row, its member) is made to wait on a row lock the test holds, and then:
// - its connection is killed: nothing of the group stays, the client gets 503 with
//   Retry-After, and the one-session pool serves again by itself;
// - the lock is held past scim.db.lockWaitSeconds: the write is tried kTransactionAttempts
//   times, answers 503 (never 500, never a hang), and nothing of it stays.
// While it holds the pool's only session, other requests get 503 at once instead of queueing.
#include "support/HostProcess.h"
#include "support/TestDatabases.h"

#include <Poco/Data/MySQL/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Timestamp.h>

#include <cppunit/extensions/HelperMacros.h>

#include <memory>
#include <optional>
#include <thread>

using testing::HostProcess;
using namespace Poco::Data::Keywords;

namespace {

const std::string kRoleGroup = R"({"displayName":"role.workflow-designer","members":[{"value":")";

std::string idOf(const std::string& body) {
    return Poco::JSON::Parser()
        .parse(body)
        .extract<Poco::JSON::Object::Ptr>()
        ->getValue<std::string>("id");
}

// A session of the test's own on the plugin's database.
Poco::Data::Session sessionOn(const testing::MariaDBServer& server, const std::string& database) {
    Poco::Data::MySQL::Connector::registerConnector();
    return Poco::Data::Session(Poco::Data::MySQL::Connector::KEY,
                               "host=" + server.host + ";port=" + std::to_string(server.port) +
                                   ";db=" + database + ";user=" + server.user +
                                   ";password=" + server.password);
}

Poco::Int64 count(Poco::Data::Session& session, const std::string& sql, std::string param) {
    Poco::Int64 n = -1;
    session << sql, into(n), use(param), now;
    return n;
}

// Holds the locks of one user's role rows (as an admin's open transaction would) until
// released, so that a write granting that user a role stops half-way.
class RoleRowLock {
  public:
    RoleRowLock(Poco::Data::Session& session, const std::string& userId) : _session(session) {
        std::string id = userId;
        std::vector<std::string> roles;
        _session << "START TRANSACTION", now;
        _session << "SELECT role_key FROM tim_user_role WHERE user_id = ? FOR UPDATE", into(roles),
            use(id), now;
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), roles.size());
    }
    ~RoleRowLock() { release(); }
    void release() {
        if (!_released) {
            _session << "ROLLBACK", now;
            _released = true;
        }
    }

  private:
    Poco::Data::Session& _session;
    bool _released = false;
};

// The connection of the plugin's write while it waits to grant the user's new role (its row
// would go where the test's lock covers): by then it has written the new group's row and
// member in its transaction.
// (information_schema.innodb_trx does not list every waiting transaction of MariaDB 10.11 at
// once; the process list does.)
std::optional<Poco::Int64> waitingWrite(Poco::Data::Session& admin) {
    std::vector<Poco::Int64> connections;
    admin << "SELECT CAST(id AS SIGNED) FROM information_schema.processlist "
             "WHERE db = DATABASE() AND info LIKE 'INSERT INTO tim\\_user\\_role%'",
        into(connections), now;
    if (connections.size() != 1) {
        return std::nullopt;
    }
    return connections[0];
}

Poco::Int64 groupsNamed(Poco::Data::Session& admin, const std::string& name) {
    return count(admin, "SELECT COUNT(*) FROM tim_group WHERE display_name_key = ?", name);
}

Poco::Int64 membershipsOf(Poco::Data::Session& admin, const std::string& userId) {
    return count(admin, "SELECT COUNT(*) FROM tim_group_member WHERE member_id = ?", userId);
}

Poco::Int64 rolesOf(Poco::Data::Session& admin, const std::string& userId) {
    return count(admin, "SELECT COUNT(*) FROM tim_user_role WHERE user_id = ?", userId);
}

// A host on the database whose pool has one session (so a waiting write holds it), a user who
// holds one role, and that user's role row locked by the test: granting the user a second
// role stops half-way.
struct HalfWayScene {
    HalfWayScene(const testing::MariaDBServer& server, const std::string& database,
                 const std::string& lockWaitSeconds)
        : host(startedHost(server, database, lockWaitSeconds)),
          send(*host),
          userId(userWithOneRole()),
          admin(sessionOn(server, database)),
          locking(sessionOn(server, database)),
          lock(locking, userId) {}

    testing::HttpResult grantSecondRole() const {
        return send("POST", "/Groups", kRoleGroup + userId + "\"}]}");
    }

    // Nothing of the second role's group stays: no group, no membership, no role.
    void assertNothingOfTheSecondRole() {
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), groupsNamed(admin, "role.workflow-designer"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), membershipsOf(admin, userId));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), rolesOf(admin, userId));
    }

    std::unique_ptr<HostProcess> host;
    testing::ScimClient send;
    std::string userId;
    Poco::Data::Session admin;
    Poco::Data::Session locking;
    RoleRowLock lock;

  private:
    static std::unique_ptr<HostProcess> startedHost(const testing::MariaDBServer& server,
                                                    const std::string& database,
                                                    const std::string& lockWaitSeconds) {
        auto properties = server.hostProperties(database);
        properties["scim.db.pool.max"] = "1";
        properties["scim.db.lockWaitSeconds"] = lockWaitSeconds;
        properties["scim.token.cacheSeconds"] = "60";
        auto host = std::make_unique<HostProcess>(std::vector<std::string>{"tim-scim"}, properties);
        host->start();
        return host;
    }

    std::string userWithOneRole() const {
        const auto user = send("POST", "/Users", R"({"userName":"cut@example.com"})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(user.body, 201, user.status);
        const std::string id = idOf(user.body);
        const auto group =
            send("POST", "/Groups",
                 R"({"displayName":"role.processmanager","members":[{"value":")" + id + "\"}]}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(group.body, 201, group.status);
        return id;
    }
};

}  // namespace

class InterruptedWriteTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(InterruptedWriteTest);
    CPPUNIT_TEST(aKilledConnectionLeavesNothingOfTheWrite);
    CPPUNIT_TEST(aLockHeldTooLongIs503AfterBoundedAttempts);
    CPPUNIT_TEST_SUITE_END();

  public:
    void setUp() override {
        _server = testing::MariaDBServer::fromEnvironment();
        _database = _server.freshDatabase("tim_interrupted");
    }

    void aKilledConnectionLeavesNothingOfTheWrite() {
        HalfWayScene scene(_server, _database, "20");
        testing::HttpResult interrupted;
        std::thread writer([&] {
            try {
                interrupted = scene.grantSecondRole();
            } catch (const Poco::Exception&) {
                // status stays 0: no answer
            }
        });
        std::optional<Poco::Int64> waiting;
        const bool blocked =
            testing::eventually([&] { return (waiting = waitingWrite(scene.admin)).has_value(); });
        Poco::Int64 groupsMidWrite = -1;
        Poco::Int64 membershipsMidWrite = -1;
        testing::HttpResult meanwhile;
        if (blocked) {
            // Read uncommitted: the group's row and its member are written already.
            scene.admin << "SET SESSION TRANSACTION ISOLATION LEVEL READ UNCOMMITTED", now;
            groupsMidWrite = groupsNamed(scene.admin, "role.workflow-designer");
            membershipsMidWrite = membershipsOf(scene.admin, scene.userId);
            scene.admin << "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ", now;
            meanwhile = scene.send("GET", "/Users/" + scene.userId);
            scene.admin << "KILL CONNECTION " + std::to_string(*waiting), now;
        } else {
            scene.lock.release();
        }
        writer.join();
        scene.lock.release();
        CPPUNIT_ASSERT_MESSAGE("the write never waited for the lock", blocked);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), groupsMidWrite);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), membershipsMidWrite);
        // The write holds the pool's only session: others are turned away at once.
        CPPUNIT_ASSERT_EQUAL_MESSAGE(meanwhile.body, 503, meanwhile.status);
        CPPUNIT_ASSERT_EQUAL(std::string("5"), meanwhile.header("retry-after"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(interrupted.body, 503, interrupted.status);
        CPPUNIT_ASSERT_EQUAL(std::string("5"), interrupted.header("retry-after"));
        scene.assertNothingOfTheSecondRole();

        // The pool replaces the killed session by itself, and the same write then succeeds.
        CPPUNIT_ASSERT_MESSAGE(scene.host->log(), testing::eventually([&] {
                                   return scene.send("GET", "/Users/" + scene.userId).status == 200;
                               }));
        CPPUNIT_ASSERT_EQUAL(201, scene.grantSecondRole().status);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), rolesOf(scene.admin, scene.userId));
        CPPUNIT_ASSERT(scene.host->log().find("The database is unavailable") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(0, scene.host->stop());
    }

    void aLockHeldTooLongIs503AfterBoundedAttempts() {
        HalfWayScene scene(_server, _database, "1");
        const Poco::Timestamp started;
        const auto answer = scene.grantSecondRole();
        const double seconds = static_cast<double>(started.elapsed()) / 1e6;
        scene.lock.release();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(answer.body, 503, answer.status);
        CPPUNIT_ASSERT_EQUAL(std::string("5"), answer.header("retry-after"));
        // Four attempts of one second each: more than one attempt, and no open-ended wait.
        CPPUNIT_ASSERT_MESSAGE(std::to_string(seconds), seconds >= 3.5 && seconds < 15);
        scene.assertNothingOfTheSecondRole();
        CPPUNIT_ASSERT(scene.host->log().find("gave up after 4 attempts") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(201, scene.grantSecondRole().status);
        CPPUNIT_ASSERT_EQUAL(0, scene.host->stop());
    }

  private:
    testing::MariaDBServer _server;
    std::string _database;
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(InterruptedWriteTest, "InterruptedWriteTest");
