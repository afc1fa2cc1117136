// Two timhost processes on one MariaDB database, raced over HTTP as a load balancer would
// spread Entra's requests: uniqueness holds across them, no member add is lost, If-Match has
// one winner, a PATCH racing a DELETE ends in a deleted user on both, and a cursor walk goes on
// through either host.
#include "support/HostProcess.h"
#include "support/Race.h"
#include "support/TestDatabases.h"

#include <Poco/JSON/Parser.h>

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <memory>
#include <mutex>

using testing::HostProcess;

namespace {

Poco::JSON::Object::Ptr json(const std::string& text) {
    return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

// The statuses the racers got, in any order.
class Statuses {
  public:
    void add(const testing::HttpResult& result) {
        std::lock_guard<std::mutex> lock(_mutex);
        _all.push_back(result.status);
        if (result.status >= 400) {
            _bodies += result.body + "\n";
        }
    }
    int count(int status) const {
        return static_cast<int>(std::count(_all.begin(), _all.end(), status));
    }
    const std::string& errorBodies() const { return _bodies; }

  private:
    std::mutex _mutex;
    std::vector<int> _all;
    std::string _bodies;
};

}  // namespace

class TwoHostsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(TwoHostsTest);
    CPPUNIT_TEST(oneUserNamePostedThroughBothGivesOneUser);
    CPPUNIT_TEST(sixteenMemberAddsThroughBothLoseNone);
    CPPUNIT_TEST(ifMatchRaceThroughBothHasOneWinner);
    CPPUNIT_TEST(patchRacingDeleteOnTheOtherHostEndsDeleted);
    CPPUNIT_TEST(cursorWalkGoesOnThroughEitherHost);
    CPPUNIT_TEST_SUITE_END();

  public:
    void setUp() override {
        const auto server = testing::MariaDBServer::fromEnvironment();
        const auto properties = server.hostProperties(server.freshDatabase("tim_two_hosts"));
        for (auto& host : _hosts) {
            host = std::make_unique<HostProcess>(std::vector<std::string>{"tim-scim"}, properties);
            host->start();
        }
        for (std::size_t i = 0; i < 2; ++i) {
            _clients[i] = std::make_unique<testing::ScimClient>(*_hosts[i]);
        }
    }

    void tearDown() override {
        for (auto& host : _hosts) {
            if (host) {
                CPPUNIT_ASSERT_EQUAL(0, host->stop());
            }
        }
    }

    void oneUserNamePostedThroughBothGivesOneUser() {
        // Each with its own externalId, as Entra sends them (a user without one is a TIM user
        // that a create binds to: guide FAQ 4).
        Statuses statuses;
        testing::race(8, [&](int i) {
            statuses.add(through(i)(
                "POST", "/Users",
                R"({"userName":"Same@Example.com","externalId":"e)" + std::to_string(i) + "\"}"));
        });
        CPPUNIT_ASSERT_EQUAL_MESSAGE(statuses.errorBodies(), 1, statuses.count(201));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(statuses.errorBodies(), 7, statuses.count(409));
        for (int i = 0; i < 2; ++i) {
            const auto found =
                through(i)("GET", "/Users?filter=userName%20eq%20%22same@example.com%22");
            CPPUNIT_ASSERT_EQUAL(1, json(found.body)->getValue<int>("totalResults"));
        }
    }

    void sixteenMemberAddsThroughBothLoseNone() {
        std::vector<std::string> ids;
        for (int i = 0; i < 16; ++i) {
            ids.push_back(created(
                through(i)("POST", "/Users",
                           R"({"userName":"member)" + std::to_string(i) + R"(@example.com"})")));
        }
        const std::string group =
            created(through(0)("POST", "/Groups", R"({"displayName":"role.processmanager"})"));
        Statuses statuses;
        testing::race(16, [&](int i) {
            statuses.add(
                through(i)("PATCH", "/Groups/" + group,
                           R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],)"
                           R"("Operations":[{"op":"Add","path":"members","value":[{"value":")" +
                               ids[static_cast<std::size_t>(i)] + "\"}]}]}"));
        });
        CPPUNIT_ASSERT_EQUAL_MESSAGE(statuses.errorBodies(), 16, statuses.count(204));
        const auto members = through(1)("GET", "/Groups/" + group + "?attributes=members");
        CPPUNIT_ASSERT_EQUAL(std::size_t(16), json(members.body)->getArray("members")->size());
        for (std::size_t i = 0; i < ids.size(); ++i) {
            const auto user = through(static_cast<int>(i))("GET", "/Users/" + ids[i]);
            CPPUNIT_ASSERT_MESSAGE(
                user.body, user.body.find(R"("roles":["processmanager"])") != std::string::npos);
        }
    }

    void ifMatchRaceThroughBothHasOneWinner() {
        const auto user = through(0)("POST", "/Users", R"({"userName":"etag@example.com"})");
        const std::string path = "/Users/" + created(user);
        Statuses statuses;
        testing::race(8, [&](int i) {
            statuses.add(through(i)(
                "PATCH", path,
                R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],)"
                R"("Operations":[{"op":"replace","path":"displayName","value":"writer )" +
                    std::to_string(i) + "\"}]}",
                {{"If-Match", user.header("etag")}}));
        });
        CPPUNIT_ASSERT_EQUAL_MESSAGE(statuses.errorBodies(), 1, statuses.count(200));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(statuses.errorBodies(), 7, statuses.count(412));
    }

    void patchRacingDeleteOnTheOtherHostEndsDeleted() {
        for (int round = 0; round < 5; ++round) {
            const std::string path =
                "/Users/" + created(through(0)("POST", "/Users",
                                               R"({"userName":"gone)" + std::to_string(round) +
                                                   R"(@example.com"})"));
            Statuses statuses;
            testing::race(2, [&](int i) {
                statuses.add(
                    i == 0 ? through(0)("PATCH", path,
                                        R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:)"
                                        R"(PatchOp"],"Operations":[{"op":"replace",)"
                                        R"("path":"active","value":false}]})")
                           : through(1)("DELETE", path));
            });
            CPPUNIT_ASSERT_EQUAL_MESSAGE(statuses.errorBodies(), 1, statuses.count(204));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(statuses.errorBodies(), 1,
                                         statuses.count(200) + statuses.count(404));
            for (int i = 0; i < 2; ++i) {
                CPPUNIT_ASSERT_EQUAL(404, through(i)("GET", path).status);
            }
        }
    }

    void cursorWalkGoesOnThroughEitherHost() {
        std::vector<std::string> ids;
        for (int i = 0; i < 23; ++i) {
            ids.push_back(created(through(i)(
                "POST", "/Users", R"({"userName":"walker)" + std::to_string(i) + R"(@x.com"})")));
        }
        // Each page through the other host than the page before, forward and then back.
        std::vector<std::string> forward;
        std::string cursor;
        std::string last;
        for (int page = 0; page < 10; ++page) {
            const auto listed = json(through(page)("GET", "/Users?count=5&cursor=" + cursor).body);
            const auto resources = listed->getArray("Resources");
            for (std::size_t i = 0; i < resources->size(); ++i) {
                forward.push_back(
                    resources->getObject(static_cast<unsigned>(i))->getValue<std::string>("id"));
            }
            if (!listed->has("nextCursor")) {
                last = listed->getValue<std::string>("previousCursor");
                break;
            }
            cursor = listed->getValue<std::string>("nextCursor");
        }
        // Creation order, within a millisecond by id: every user once.
        std::vector<std::string> sortedIds = ids;
        std::vector<std::string> sortedForward = forward;
        std::sort(sortedIds.begin(), sortedIds.end());
        std::sort(sortedForward.begin(), sortedForward.end());
        CPPUNIT_ASSERT(sortedIds == sortedForward);
        std::vector<std::string> back;
        for (int page = 1; !last.empty() && page < 10; ++page) {
            const auto listed = json(through(page)("GET", "/Users?count=5&cursor=" + last).body);
            const auto resources = listed->getArray("Resources");
            for (std::size_t i = resources->size(); i-- > 0;) {
                back.push_back(
                    resources->getObject(static_cast<unsigned>(i))->getValue<std::string>("id"));
            }
            last = listed->has("previousCursor") ? listed->getValue<std::string>("previousCursor")
                                                 : "";
        }
        CPPUNIT_ASSERT(std::vector<std::string>(forward.rbegin() + 3, forward.rend()) == back);
    }

  private:
    // The client of host i % 2: racers alternate between the two hosts.
    const testing::ScimClient& through(int i) const { return *_clients[i % 2]; }

    static std::string created(const testing::HttpResult& result) {
        CPPUNIT_ASSERT_EQUAL_MESSAGE(result.body, 201, result.status);
        return json(result.body)->getValue<std::string>("id");
    }

    std::unique_ptr<HostProcess> _hosts[2];
    std::unique_ptr<testing::ScimClient> _clients[2];
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(TwoHostsTest, "TwoHostsTest");
