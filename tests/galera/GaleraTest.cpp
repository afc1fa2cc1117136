// The plugin on a real 3-node MariaDB Galera cluster (the galera fixture): migrations and
// purges started on every node at once run once, a group commit that loses to another node
// runs its writes again alone, and Entra's traffic through three timhost instances, one per
// node, survives a node stopped and restarted and a host killed and restarted: every write
// answered 2xx is on every node, nothing is duplicated, roles match memberships, the nodes'
// tables are identical, and no host answers 500 or logs an error.
#include "ClusterHosts.h"
#include "ClusterState.h"
#include "ClusterWorkload.h"
#include "GaleraCluster.h"
#include "store/engine/Database.h"
#include "store/engine/GroupCommit.h"
#include "store/engine/PreparedStatements.h"
#include "store/migrations/Migration.h"
#include "store/upkeep/Purger.h"
#include "support/EngineFixtures.h"
#include "support/Race.h"
#include "tim/Duration.h"

#include <Poco/Environment.h>
#include <Poco/FileStream.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Logger.h>
#include <Poco/Thread.h>

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <iostream>
#include <memory>
#include <sstream>
#include <thread>

using namespace Poco::Data::Keywords;
using testing::ClusterHosts;
using testing::GaleraCluster;

namespace {

store::DatabaseConfig configOf(const GaleraCluster& cluster, std::size_t node,
                               const std::string& database) {
    return testing::mariaDBConfig(cluster.node(node), database);
}

// Runs `action(node)` for every node at the same moment; what threw, as text.
std::string onEveryNode(std::size_t nodes, const std::function<void(std::size_t)>& action) {
    std::vector<std::thread> threads;
    std::vector<std::string> failures(nodes);
    for (std::size_t node = 0; node < nodes; ++node) {
        threads.emplace_back([&, node] {
            try {
                action(node);
            } catch (const Poco::Exception& e) {
                failures[node] = e.displayText();
            } catch (const std::exception& e) {
                failures[node] = e.what();
            }
        });
    }
    std::string text;
    for (std::size_t node = 0; node < nodes; ++node) {
        threads[node].join();
        text += failures[node].empty()
                    ? ""
                    : "node " + std::to_string(node + 1) + ": " + failures[node] + "\n";
    }
    return text;
}

Poco::Logger& logger() {
    return Poco::Logger::get("test.galera");
}

std::string reportDirectory() {
    return Poco::Environment::get("TIM_TEST_GALERA_DIR");
}

}  // namespace

class GaleraTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(GaleraTest);
    CPPUNIT_TEST(migrationsStartedOnEveryNodeAtOnceRunOnce);
    CPPUNIT_TEST(purgesStartedOnEveryNodeAtOncePurgeEachUserOnce);
    CPPUNIT_TEST(namesPostedThroughEveryNodeAtOnceStayUnique);
    CPPUNIT_TEST(memberAddsThroughEveryNodeAtOnceLoseNone);
    CPPUNIT_TEST(aBatchThatLosesToAnotherNodeRunsEachWriteAgainAlone);
    CPPUNIT_TEST(entraTrafficThroughThreeHostsSurvivesNodeAndHostFaults);
    CPPUNIT_TEST_SUITE_END();

  public:
    void setUp() override {
        _cluster = std::make_unique<GaleraCluster>(GaleraCluster::fromEnvironment());
    }

    void migrationsStartedOnEveryNodeAtOnceRunOnce() {
        const std::string database = _cluster->freshDatabase("tim_galera_migrations");
        std::atomic<std::size_t> applied{0};
        CPPUNIT_ASSERT_EQUAL(std::string(), onEveryNode(_cluster->size(), [&](std::size_t node) {
                                 store::Database db(configOf(*_cluster, node, database), logger());
                                 applied += db.migrate();
                             }));
        CPPUNIT_ASSERT_EQUAL(store::embeddedMigrations(store::Engine::MySQL).size(),
                             applied.load());
        for (std::size_t node = 0; node < _cluster->size(); ++node) {
            auto session = _cluster->session(node, database);
            Poco::Int64 versions = 0;
            session << "SELECT COUNT(*) FROM scim_schema_version", into(versions), now;
            CPPUNIT_ASSERT_EQUAL(static_cast<Poco::Int64>(applied.load()), versions);
            // Galera certifies and applies rows by their primary key.
            std::vector<std::string> withoutKey;
            std::string schema = database;
            session << "SELECT t.table_name FROM information_schema.tables t WHERE "
                       "t.table_schema = ? AND NOT EXISTS (SELECT 1 FROM "
                       "information_schema.table_constraints c WHERE c.table_schema = "
                       "t.table_schema AND c.table_name = t.table_name AND c.constraint_type = "
                       "'PRIMARY KEY')",
                use(schema), into(withoutKey), now;
            CPPUNIT_ASSERT_EQUAL(std::size_t(0), withoutKey.size());
        }
    }

    void purgesStartedOnEveryNodeAtOncePurgeEachUserOnce() {
        const std::string database = _cluster->freshDatabase("tim_galera_purge");
        const int users = 120;
        {
            store::Database db(configOf(*_cluster, 0, database), logger());
            db.migrate();
            auto session = db.session();
            Poco::Int64 longAgo =
                Poco::Timestamp().epochMicroseconds() / 1000 - Poco::Int64(60) * 24 * 3600 * 1000;
            for (int i = 0; i < users; ++i) {
                std::string id = "purge-" + std::to_string(i);
                // Deleted through SCIM: managed, as every user the purge may take.
                session << "INSERT INTO tim_user (id, user_name, user_name_key, kind, active, "
                           "created_ms, modified_ms, deleted_ms, managed) VALUES (?, ?, ?, "
                           "'person', 0, ?, ?, ?, 1)",
                    use(id), use(id), use(id), use(longAgo), use(longAgo), use(longAgo), now;
            }
        }
        std::atomic<std::size_t> purged{0};
        std::atomic<int> runs{0};
        store::PurgePolicy policy;
        policy.deletedRetention = tim::Duration::parse("30d", "test").expiry();
        policy.batchSize = 25;
        for (int round = 0; round < 2; ++round) {
            CPPUNIT_ASSERT_EQUAL(
                std::string(), onEveryNode(_cluster->size(), [&](std::size_t node) {
                    store::Database db(configOf(*_cluster, node, database), logger());
                    const auto result = store::Purger(db, policy).run(Poco::Timestamp());
                    purged += result.users;
                    runs += result.ran ? 1 : 0;
                }));
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(users), purged.load());
        CPPUNIT_ASSERT(runs.load() >= 2);
        for (std::size_t node = 0; node < _cluster->size(); ++node) {
            auto session = _cluster->session(node, database);
            Poco::Int64 left = -1;
            Poco::Int64 audited = -1;
            session << "SELECT COUNT(*) FROM tim_user WHERE id LIKE 'purge-%'", into(left), now;
            session << "SELECT COUNT(*) FROM scim_audit WHERE operation = 'purge'", into(audited),
                now;
            CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), left);
            CPPUNIT_ASSERT_EQUAL(Poco::Int64(users), audited);  // each user purged once
        }
    }

    void namesPostedThroughEveryNodeAtOnceStayUnique() {
        const std::string database = _cluster->freshDatabase("tim_galera_unique");
        ClusterHosts hosts(*_cluster, 3, database, "");
        const auto clients = clientsOf(hosts);
        for (const auto& [type, body] :
             {std::pair<std::string, std::string>{"Users", R"("userName":"Same@Example.com")"},
              {"Groups", R"("displayName":"Same Group")"}}) {
            std::vector<int> statuses(9);
            testing::race(9, [&](int i) {
                // Each with its own externalId, as Entra sends them.
                statuses[i] = statusOf([&] {
                    return (*clients[i % 3])(
                        "POST", "/" + type,
                        "{" + body + R"(,"externalId":"e)" + std::to_string(i) + "\"}");
                });
            });
            CPPUNIT_ASSERT_EQUAL(1L, std::count(statuses.begin(), statuses.end(), 201));
            CPPUNIT_ASSERT_EQUAL(8L, std::count(statuses.begin(), statuses.end(), 409));
        }
        for (std::size_t node = 0; node < _cluster->size(); ++node) {
            auto session = _cluster->session(node, database);
            Poco::Int64 users = 0;
            Poco::Int64 groups = 0;
            session << "SELECT COUNT(*) FROM tim_user WHERE user_name_key = 'same@example.com'",
                into(users), now;
            session << "SELECT COUNT(*) FROM tim_group", into(groups), now;
            CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), users);
            CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), groups);
        }
        CPPUNIT_ASSERT_EQUAL(std::string(), hosts.stopAll());
    }

    // Adds to one group through three nodes at once conflict at certification: the losers
    // must run again, never report a member that is not there.
    void memberAddsThroughEveryNodeAtOnceLoseNone() {
        const std::string database = _cluster->freshDatabase("tim_galera_members");
        ClusterHosts hosts(*_cluster, 3, database, "");
        const auto clients = clientsOf(hosts);
        const int members = 24;
        std::vector<std::string> ids;
        for (int i = 0; i < members; ++i) {
            ids.push_back(idOf((*clients[i % 3])(
                "POST", "/Users", R"({"userName":"m)" + std::to_string(i) + R"(@example.com"})")));
        }
        const std::string group =
            idOf((*clients[0])("POST", "/Groups", R"({"displayName":"role.processmanager"})"));
        std::vector<int> statuses(members);
        testing::race(members, [&](int i) {
            for (int attempt = 0; attempt < 5; ++attempt) {  // a 503 may be sent again
                statuses[i] = statusOf([&] {
                    return (*clients[i % 3])(
                        "PATCH", "/Groups/" + group,
                        R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],)"
                        R"("Operations":[{"op":"Add","path":"members","value":[{"value":")" +
                            ids[i] + "\"}]}]}");
                });
                if (statuses[i] != 503) {
                    break;
                }
            }
        });
        std::string
            seen;  // what each add was answered, and the hosts' errors, when one was not 204
        for (const int status : statuses) {
            seen += std::to_string(status) + " ";
        }
        if (std::count(statuses.begin(), statuses.end(), 204) != members) {
            for (std::size_t h = 0; h < 3; ++h) {
                std::istringstream log(hosts.host(h).log());
                for (std::string line; std::getline(log, line);) {
                    if (line.find(" Error ") != std::string::npos ||
                        line.find(" 500 ") != std::string::npos) {
                        seen += "\nhost " + std::to_string(h + 1) + ": " + line;
                    }
                }
            }
        }
        CPPUNIT_ASSERT_EQUAL_MESSAGE(seen, long(members),
                                     std::count(statuses.begin(), statuses.end(), 204));
        for (std::size_t node = 0; node < _cluster->size(); ++node) {
            auto session = _cluster->session(node, database);
            Poco::Int64 rows = 0;
            Poco::Int64 roles = 0;
            std::string key = group;
            session << "SELECT COUNT(*) FROM tim_group_member WHERE group_id = ?", use(key),
                into(rows), now;
            session << "SELECT COUNT(*) FROM tim_user_role WHERE role_key = 'processmanager'",
                into(roles), now;
            CPPUNIT_ASSERT_EQUAL(Poco::Int64(members), rows);
            CPPUNIT_ASSERT_EQUAL(Poco::Int64(members), roles);
        }
        CPPUNIT_ASSERT_EQUAL(std::string(), hosts.stopAll());
    }

    // Group commit on a node (scim.db.groupCommit.maxWrites above 1): a batch of three writes,
    // the last of which loses a row to a write committed through another node meanwhile, is
    // aborted by the cluster (here reported at its next statement; an abort not reported is
    // caught by the commit's check). Nothing of the batch commits; each write runs again
    // alone, and each lands once on every node.
    void aBatchThatLosesToAnotherNodeRunsEachWriteAgainAlone() {
        const std::string database = _cluster->freshDatabase("tim_galera_batch");
        store::DatabaseConfig config = configOf(*_cluster, 0, database);
        config.groupCommitMaxWrites = 8;
        store::Database db(config, logger());
        db.migrate();  // the commit check's marker rows
        {
            auto session = db.session();
            session << "CREATE TABLE batch_row (id INT NOT NULL PRIMARY KEY, n INT NOT NULL)", now;
            session << "INSERT INTO batch_row (id, n) VALUES (1, 0)", now;
        }
        // Node 2 has the row before anything races for it (the read waits for the node to apply).
        Poco::Int64 start = -1;
        _cluster->session(1, database) << "SELECT n FROM batch_row WHERE id = 1", into(start), now;
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), start);

        store::GroupCommit commits(db, config.groupCommitMaxWrites);
        // Declared before the writes, which are joined before these go, even on an early exit.
        std::promise<void> entered;
        std::promise<void> released;
        std::shared_future<void> release = released.get_future().share();
        std::atomic<int> contestedRuns{0};
        std::atomic<int> otherRuns{0};
        std::size_t changedOnNode2 = 0;
        std::vector<std::future<void>> writes;
        struct LetGo {  // also when an assertion leaves early: the writes must not wait forever
            std::promise<void>& released;
            bool done = false;
            void operator()() {
                if (!done) {
                    done = true;
                    released.set_value();
                }
            }
            ~LetGo() { (*this)(); }
        } letGo{released};
        // A write that holds the first transaction: the three queued meanwhile form the next.
        writes.push_back(std::async(std::launch::async, [&] {
            commits.run([&](Poco::Data::Session&) {
                entered.set_value();
                release.wait();
                return true;
            });
        }));
        if (entered.get_future().wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
            letGo();
            writes.front().get();  // what kept it from running
            CPPUNIT_FAIL("the first write did not start");
        }
        const auto queue = [&](const store::GroupCommit::Write& write) {
            const std::size_t before = commits.queued();
            writes.push_back(
                std::async(std::launch::async, [&commits, write] { commits.run(write); }));
            for (int i = 0; i < 1000 && commits.queued() == before; ++i) {
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
            }
            CPPUNIT_ASSERT_EQUAL(before + 1, commits.queued());
        };
        for (const Poco::Int64 id : {2, 3}) {
            queue([id, &otherRuns](Poco::Data::Session& session) {
                ++otherRuns;
                store::runPrepared(session, "INSERT INTO batch_row (id, n) VALUES (?, 0)",
                                   {store::numberParam(id)});
                return true;
            });
        }
        queue([&](Poco::Data::Session& session) {
            store::runPrepared(session, "UPDATE batch_row SET n = n + 1 WHERE id = 1", {});
            if (++contestedRuns == 1) {  // node 2 commits the same row first
                auto other = _cluster->session(1, database);
                Poco::Data::Statement update(other);
                update << "UPDATE batch_row SET n = n + 100 WHERE id = 1";
                changedOnNode2 = update.execute();
            }
            return true;
        });
        letGo();
        for (auto& write : writes) {
            write.get();  // every write acknowledged (a failure throws here)
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), changedOnNode2);
        // The inserts ran in the batch, before the contested write, and again alone.
        CPPUNIT_ASSERT_EQUAL(4, otherRuns.load());
        CPPUNIT_ASSERT(contestedRuns.load() >= 2);                // it ran again
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), commits.batches());  // the batch committed nothing
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), commits.batchedWrites());
        for (std::size_t node = 0; node < _cluster->size(); ++node) {
            auto session = _cluster->session(node, database);
            std::vector<int> ids;
            std::vector<int> values;
            session << "SELECT id, n FROM batch_row ORDER BY id", into(ids), into(values), now;
            std::string rows;
            for (std::size_t i = 0; i < ids.size(); ++i) {
                rows += std::to_string(ids[i]) + ":" + std::to_string(values[i]) + " ";
            }
            CPPUNIT_ASSERT_EQUAL(std::string("1:101 2:0 3:0 "), rows);
        }
    }

    void entraTrafficThroughThreeHostsSurvivesNodeAndHostFaults() {
        const std::string database = _cluster->freshDatabase("tim_galera_traffic");
        const testing::WorkloadOptions options;
        ClusterHosts hosts(*_cluster, 3, database,
                           testing::ClusterWorkload::knownRoles(options.workers));
        testing::ClusterWorkload workload(hosts.ports(), hosts.host(0).generateToken(), options);
        std::string faults;
        std::atomic<bool> injected{false};
        std::thread injector([&] {
            const auto step = [&](long afterMs, const std::string& what,
                                  const std::function<void()>& act) {
                Poco::Thread::sleep(afterMs);
                const Poco::Timestamp began;
                act();
                faults += "  " + what + " (" + std::to_string(began.elapsed() / 1000) + " ms)\n";
            };
            try {
                step(5000, "stopped node 2", [&] { _cluster->stopNode(1); });
                step(6000, "started node 2; it rejoined", [&] { _cluster->startNode(1); });
                step(3000, "killed host 3 (SIGKILL)", [&] { hosts.host(2).kill(); });
                step(3000, "restarted host 3", [&] { hosts.host(2).start(); });
            } catch (const Poco::Exception& e) {
                faults += "  FAULT INJECTION FAILED: " + e.displayText() + "\n";
            }
            Poco::Thread::sleep(5000);  // traffic through every host again
            injected = true;
        });
        workload.run([&] { return !injected.load(); });
        injector.join();
        const auto& report = workload.report();
        const std::string summary =
            "faults:\n" + faults + report.summary() + hosts.errorsAndDeaths();
        std::cout << "\n" << summary;
        Poco::FileOutputStream(reportDirectory() + "/workload-report.txt") << summary;
        hosts.keepLogs(reportDirectory());

        CPPUNIT_ASSERT_MESSAGE(summary, faults.find("FAILED") == std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(summary,
                               report.count(0) > 0 && report.count(503) > 0);  // faults bit
        CPPUNIT_ASSERT_EQUAL(std::size_t(options.workers * options.usersPerWorker),
                             workload.expected().users.size());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(
            summary, std::string(),
            testing::differencesOnEveryNode(*_cluster, database, workload.expected()));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(summary, 0L, report.count(500));
        CPPUNIT_ASSERT_MESSAGE(summary, report.problems.empty());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(summary, std::string(), hosts.errorsAndDeaths());
        for (std::size_t i = 0; i < 3; ++i) {  // not even in the errors of a lost connection
            CPPUNIT_ASSERT(hosts.host(i).log().find(_cluster->node(0).password) ==
                           std::string::npos);
        }
        CPPUNIT_ASSERT_EQUAL(std::string(), hosts.stopAll());
    }

  private:
    static std::vector<std::unique_ptr<testing::ScimClient>> clientsOf(ClusterHosts& hosts) {
        std::vector<std::unique_ptr<testing::ScimClient>> clients;
        for (std::size_t i = 0; i < 3; ++i) {
            clients.push_back(std::make_unique<testing::ScimClient>(hosts.host(i)));
        }
        return clients;
    }

    // The answer's status; 0 when none came (the connection closed or timed out).
    static int statusOf(const std::function<testing::HttpResult()>& send) {
        try {
            return send().status;
        } catch (const Poco::Exception&) {
            return 0;
        }
    }

    static std::string idOf(const testing::HttpResult& created) {
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 201, created.status);
        return Poco::JSON::Parser()
            .parse(created.body)
            .extract<Poco::JSON::Object::Ptr>()
            ->getValue<std::string>("id");
    }

    std::unique_ptr<GaleraCluster> _cluster;
};

// Not a CTest test: tests/galera/throughput.sh runs it. The same traffic without faults through
// 1, 2 and 3 hosts (host I on node I), each on a fresh database, verified like the test above.
class GaleraThroughput : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(GaleraThroughput);
    CPPUNIT_TEST(oneTwoAndThreeHosts);
    CPPUNIT_TEST_SUITE_END();

  public:
    void oneTwoAndThreeHosts() {
        const auto cluster = GaleraCluster::fromEnvironment();
        const testing::WorkloadOptions options;
        std::string table;
        for (std::size_t count = 1; count <= cluster.size(); ++count) {
            const std::string database = cluster.freshDatabase("tim_galera_throughput");
            ClusterHosts hosts(cluster, count, database,
                               testing::ClusterWorkload::knownRoles(options.workers));
            testing::ClusterWorkload workload(hosts.ports(), hosts.host(0).generateToken(),
                                              options);
            const Poco::Timestamp started;
            workload.run([&] { return !started.isElapsed(20 * Poco::Timestamp::resolution()); });
            const auto& report = workload.report();
            std::cout << "\n" << count << " host(s): " << report.summary() << std::flush;
            table += std::to_string(count) + " host(s): " + report.summary();
            CPPUNIT_ASSERT_EQUAL(std::string(), testing::differencesOnEveryNode(
                                                    cluster, database, workload.expected()));
            CPPUNIT_ASSERT(report.problems.empty());
            CPPUNIT_ASSERT_EQUAL(std::string(), hosts.stopAll());
        }
        Poco::FileOutputStream(reportDirectory() + "/throughput.txt") << table;
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(GaleraTest, "GaleraTest");
CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(GaleraThroughput, "GaleraThroughput");
