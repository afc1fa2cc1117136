// Writes racing each other on both engines, through the repositories the endpoints use: none
// is lost, uniqueness holds (also across two instances with their own pools), If-Match lets
// exactly one writer win, and a PATCH racing a DELETE leaves one consistent outcome. Lists
// four times the pool's size at once all answer; requests waiting for a session get it in the
// order they asked.
#include "api/RequestLimits.h"
#include "api/ScimService.h"
#include "api/UsersEndpoint.h"
#include "port/StoreErrors.h"
#include "scim/GroupSchemas.h"
#include "scim/Patch.h"
#include "scim/Representation.h"
#include "scim/ScimError.h"
#include "scim/UserSchemas.h"
#include "scim/filter/FilterParser.h"
#include "store/accounts/GroupRepository.h"
#include "store/accounts/UserRepository.h"
#include "store/engine/PreparedStatements.h"
#include "store/engine/Retry.h"
#include "store/engine/WriteTransaction.h"
#include "support/EngineFixtures.h"
#include "support/Race.h"
#include "support/StoreFixture.h"

#include <Poco/JSON/Parser.h>

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace {

Poco::JSON::Object::Ptr parse(const std::string& json) {
    return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
}

Poco::JSON::Object::Ptr userDoc(const std::string& json) {
    return scim::normaliseResource(parse(json), scim::userResourceSchema()).doc;
}

// What each racer's call ended in.
struct Outcomes {
    std::atomic<int> ok{0};
    std::atomic<int> conflict{0};    // 409
    std::atomic<int> failed{0};      // 412
    std::atomic<int> notFound{0};    // 404
    std::atomic<int> unexpected{0};  // anything else

    void run(const std::function<void()>& call) {
        try {
            call();
            ++ok;
        } catch (const port::Conflict&) {
            ++conflict;
        } catch (const port::VersionMismatch&) {
            ++failed;
        } catch (const port::NotFound&) {
            ++notFound;
        } catch (...) {
            ++unexpected;
        }
    }
};

}  // namespace

class ConcurrencyContract : public testing::StoreFixture {
    CPPUNIT_TEST_SUITE(ConcurrencyContract);
    CPPUNIT_TEST(sixteenClientsAddingMembersToOneGroupLoseNone);
    CPPUNIT_TEST(oneUserNameAcrossTwoInstancesGivesOneUser);
    CPPUNIT_TEST(ifMatchRacesHaveExactlyOneWinner);
    CPPUNIT_TEST(patchRacingDeleteLeavesTheUserDeleted);
    CPPUNIT_TEST(deadlockedTransactionsAreRunAgainBoundedly);
    CPPUNIT_TEST(residueFiltersFourTimesThePoolAllAnswer);
    CPPUNIT_TEST(sessionsGoToWaitersInTheOrderTheyAsked);
    CPPUNIT_TEST_SUITE_END_ABSTRACT();

  public:
    std::string user(const std::string& name) {
        return _users->createOrBind(userDoc(R"({"userName":")" + name + "\"}"), std::nullopt)
            .record.id;
    }

    void sixteenClientsAddingMembersToOneGroupLoseNone() {
        syncRoleCatalogue({"auditor"}, {});
        const auto group = _groups->createOrBind(
            scim::normaliseResource(parse(R"({"displayName":"role.auditor"})"),
                                    scim::groupResourceSchema())
                .doc,
            std::nullopt);
        std::vector<std::string> ids;
        for (int i = 0; i < 16; ++i) {
            ids.push_back(user("member" + std::to_string(i) + "@example.com"));
        }
        Outcomes outcomes;
        testing::race(16, [&](int i) {
            outcomes.run([&] {
                _groups->patch(group.record.id, {},
                               {{port::MemberChange::Kind::Add, {ids[static_cast<size_t>(i)]}}},
                               std::nullopt);
            });
        });
        CPPUNIT_ASSERT_EQUAL(16, outcomes.ok.load());
        CPPUNIT_ASSERT_EQUAL(std::size_t(16), _groups->members(group.record.id).size());
        for (const auto& id : ids) {
            CPPUNIT_ASSERT(_users->find(id)->roles == std::vector<std::string>{"auditor"});
        }
    }

    // 32 clients at once list users by a filter no column answers, each scanned user rendered
    // with its manager's name, on a pool of 8 sessions: each holds one session (the scan reads
    // the managers on it), and those that find none free wait for one. Before, each held a
    // second session per scanned user, and the pool ran out (503).
    void residueFiltersFourTimesThePoolAllAnswer() {
        const std::string manager =
            _users
                ->createOrBind(userDoc(R"({"userName":"boss","displayName":"Boss"})"), std::nullopt)
                .record.id;
        for (int i = 0; i < 20; ++i) {
            _users->createOrBind(
                userDoc(
                    R"({"userName":"r)" + std::to_string(i) +
                    R"(","title":"pilot","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":{"value":")" +
                    manager + R"("}}})"),
                std::nullopt);
        }
        auto config = _config;
        config.poolMin = 1;
        config.poolMax = 8;
        store::Database small(config, logger());
        const auto users = usersOver(small);
        auto& log = Poco::Logger::get("test.pool");
        api::UsersEndpoint endpoint(*users, api::UsersSettings{}, log);
        api::ScimService service(
            api::ServiceSettings{}, [](const api::Request&) { return api::Access::Provisioning; },
            log, api::ServedResources({{&endpoint, api::InBulk::WritesSecrets}}));
        api::Request request;
        request.method = "GET";
        request.path = "/tim/api/scim/Users";
        request.query =
            "filter=title%20eq%20%22pilot%22%20and%20urn:ietf:params:scim:schemas:extension:"
            "enterprise:2.0:User:manager.displayName%20eq%20%22Boss%22&count=5";
        std::atomic<int> answered{0};
        std::atomic<int> refused{0};
        testing::race(32, [&](int) {
            for (int round = 0; round < 3; ++round) {
                const auto response = service.handle(request);
                ++(response.status == 200 &&
                           response.body.find("\"totalResults\":20") != std::string::npos
                       ? answered
                       : refused);
            }
        });
        CPPUNIT_ASSERT_EQUAL(0, refused.load());
        CPPUNIT_ASSERT_EQUAL(96, answered.load());
    }

    // A pool of one session, held while six requests ask for it one after another: each gets
    // it in the order it asked. Before, each polled on its own in pauses growing to 20 ms, and
    // which one found a returned session first was left to chance.
    void sessionsGoToWaitersInTheOrderTheyAsked() {
        auto config = _config;
        config.poolMin = 1;
        config.poolMax = 1;
        config.poolWaitMs = 30000;
        store::Database one(config, logger());
        std::optional<Poco::Data::Session> held(one.session());
        std::mutex served;
        std::string order;
        std::vector<std::thread> waiters;
        for (int i = 0; i < 6; ++i) {
            waiters.emplace_back([&, i] {
                const auto note = [&](const std::string& what) {
                    std::lock_guard<std::mutex> lock(served);
                    order += what;
                };
                try {
                    Poco::Data::Session session = one.session();
                    note(std::to_string(i));  // while it holds the only session
                    std::this_thread::sleep_for(std::chrono::milliseconds(2));
                } catch (const Poco::Exception& e) {
                    note("(" + std::to_string(i) + ": " + e.displayText() + ")");
                }
            });
            // In line before the next asks; waits long enough for the pauses to grow.
            for (int waited = 0; one.sessionsAwaited() < std::size_t(i + 1) && waited < 2000;
                 ++waited) {
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(30));
        }
        const std::size_t inLine = one.sessionsAwaited();
        held.reset();
        for (auto& waiter : waiters) {
            waiter.join();
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(6), inLine);
        CPPUNIT_ASSERT_EQUAL(std::string("012345"), order);
    }

    void oneUserNameAcrossTwoInstancesGivesOneUser() {
        // A second instance: its own pool and repositories on the same database.
        store::Database other(_config, logger());
        const auto otherUsersOwner = usersOver(other);
        tim::UserService& otherUsers = *otherUsersOwner;
        Outcomes outcomes;
        testing::race(8, [&](int i) {
            auto& repository = i % 2 ? otherUsers : *_users;
            outcomes.run([&] {
                repository.createOrBind(
                    userDoc(R"({"userName":"Twice@Example.com","externalId":"e)" +
                            std::to_string(i) + "\"}"),
                    std::nullopt);
            });
        });
        CPPUNIT_ASSERT_EQUAL(1, outcomes.ok.load());
        CPPUNIT_ASSERT_EQUAL(7, outcomes.conflict.load());
        CPPUNIT_ASSERT_EQUAL(0, outcomes.unexpected.load());
        port::UserQuery query;
        query.filter = scim::filter::parseFilter(R"(userName eq "twice@example.com")");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _users->query(query, {}).total);
    }

    void ifMatchRacesHaveExactlyOneWinner() {
        const std::string id = user("matched@example.com");
        const Poco::Int64 version = _users->find(id)->version;
        Outcomes outcomes;
        testing::race(8, [&](int i) {
            outcomes.run([&] {
                patchUser(
                    id,
                    R"([{"op":"replace","path":"title","value":"T)" + std::to_string(i) + R"("}])",
                    version);
            });
        });
        CPPUNIT_ASSERT_EQUAL(1, outcomes.ok.load());
        CPPUNIT_ASSERT_EQUAL(7, outcomes.failed.load());
        CPPUNIT_ASSERT_EQUAL(0, outcomes.unexpected.load());
        CPPUNIT_ASSERT_EQUAL(version + 1, _users->find(id)->version);
    }

    void patchRacingDeleteLeavesTheUserDeleted() {
        for (int round = 0; round < 5; ++round) {
            const std::string id = user("fleeting" + std::to_string(round) + "@example.com");
            Outcomes patches;
            Outcomes deletes;
            testing::race(8, [&](int i) {
                if (i == 0) {
                    deletes.run([&] {
                        if (!_users->remove(id, std::nullopt)) {
                            throw scim::notFound("gone");
                        }
                    });
                    return;
                }
                patches.run([&] {
                    patchUser(id, R"([{"op":"replace","path":"active","value":"False"}])");
                });
            });
            // The delete always wins in the end; a PATCH either came first or found no user.
            CPPUNIT_ASSERT_EQUAL(1, deletes.ok.load());
            CPPUNIT_ASSERT_EQUAL(7, patches.ok.load() + patches.notFound.load());
            CPPUNIT_ASSERT_EQUAL(0, patches.unexpected.load() + patches.conflict.load());
            CPPUNIT_ASSERT(!_users->find(id).has_value());
        }
    }

    // Two transactions locking two users in opposite orders: on MariaDB one is chosen as the
    // deadlock victim and withRetry runs it again, so both complete. A transaction that keeps
    // failing that way is tried kTransactionAttempts times, no more.
    void deadlockedTransactionsAreRunAgainBoundedly() {
        const std::string first = user("first@example.com");
        const std::string second = user("second@example.com");
        std::atomic<int> locked{0};
        std::atomic<int> attempts{0};
        Outcomes outcomes;
        testing::race(2, [&](int i) {
            const std::string& a = i == 0 ? first : second;
            const std::string& b = i == 0 ? second : first;
            auto session = _database->session();
            const std::string lock = std::string("SELECT id FROM tim_user WHERE id = ?") +
                                     _database->dialect().forUpdate();
            outcomes.run([&] {
                store::withRetry(_database->dialect(), [&] {
                    ++attempts;
                    store::WriteTransaction tx(session, _database->dialect());
                    store::runPrepared(session, lock, {store::textParam(a)},
                                       {store::ColumnType::Text});
                    if (++locked <= 2) {  // the first attempts: wait until both hold one lock
                        for (int waited = 0; locked.load() < 2 && waited < 500; ++waited) {
                            std::this_thread::sleep_for(std::chrono::milliseconds(1));
                        }
                    }
                    store::runPrepared(session, lock, {store::textParam(b)},
                                       {store::ColumnType::Text});
                    tx.commit();
                });
            });
        });
        CPPUNIT_ASSERT_EQUAL(2, outcomes.ok.load());
        CPPUNIT_ASSERT_EQUAL(0, outcomes.unexpected.load());
        if (_config.engine == store::Engine::MySQL) {
            CPPUNIT_ASSERT(attempts.load() >= 3);  // a victim ran again
        }

        // Bounded: always a retryable failure of this engine, then WriteContention (503).
        const std::string failure = _config.engine == store::Engine::MySQL
                                        ? "Deadlock found when trying to get lock (1213)"
                                        : "database is locked";
        int tries = 0;
        CPPUNIT_ASSERT_THROW(store::withRetry(_database->dialect(),
                                              [&] {
                                                  ++tries;
                                                  throw Poco::Data::DataException(failure);
                                              }),
                             store::WriteContention);
        CPPUNIT_ASSERT_EQUAL(store::kTransactionAttempts, tries);
    }
};

TIM_ENGINE_SUITES(Concurrency);
CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(ConcurrencySQLiteTest, "ConcurrencySQLiteTest");
CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(ConcurrencyMariaDBTest, "ConcurrencyMariaDBTest");
