// A host killed (SIGKILL, as a crash) while 12 clients create users on SQLite, where writes that
// arrive together share one transaction (group commit): after a restart on the same database,
// every user a client was answered 201 for is there. A batch the kill cut short acknowledged
// nothing: its requests are answered only once it committed.
#include "support/HostProcess.h"
#include "support/PrometheusText.h"

#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

using testing::HostProcess;

class KilledUnderWritesTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(KilledUnderWritesTest);
    CPPUNIT_TEST(noAcknowledgedCreateIsLost);
    CPPUNIT_TEST_SUITE_END();

  public:
    void noAcknowledgedCreateIsLost() {
        HostProcess host({"tim-scim"});
        host.start();
        const std::map<std::string, std::string> headers = {
            {"Authorization", "Bearer " + host.generateToken()},
            {"Content-Type", "application/scim+json"}};

        std::mutex acknowledgedMutex;
        std::vector<std::string> acknowledged;
        Clients clients;
        for (int client = 0; client < 12; ++client) {
            clients.threads.emplace_back([&, client] {
                for (int i = 0; !clients.stop; ++i) {
                    const std::string name =
                        "crash-" + std::to_string(client) + "-" + std::to_string(i);
                    try {
                        const auto created =
                            host.request("POST", "/tim/api/scim/Users",
                                         R"({"userName":")" + name +
                                             R"(@example.com","externalId":")" + name + R"("})",
                                         headers);
                        if (created.status == 201) {
                            std::lock_guard<std::mutex> lock(acknowledgedMutex);
                            acknowledged.push_back(name);
                        }
                    } catch (const Poco::Exception&) {
                        return;  // the host is gone
                    }
                }
            });
        }
        // Killed once writes have been batched: the next batches are running.
        bool batched = false;
        for (int i = 0; i < 200 && !batched; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            const testing::PrometheusText metrics(
                host.request("GET", "/tim/api/scim/metrics", "", headers).body);
            batched = metrics.value("tim_scim_db_group_commits_total{}") >= 20;
        }
        host.kill();
        clients.join();
        CPPUNIT_ASSERT_MESSAGE("no batches under 12 clients", batched);
        CPPUNIT_ASSERT(acknowledged.size() >= 20);

        host.start();
        std::size_t missing = 0;
        for (const auto& name : acknowledged) {
            const auto found = host.request(
                "GET", "/tim/api/scim/Users?filter=" + encoded("externalId eq \"" + name + "\""),
                "", headers);
            CPPUNIT_ASSERT_EQUAL(200, found.status);
            missing += totalResults(found.body) == 1 ? 0 : 1;
        }
        CPPUNIT_ASSERT_EQUAL_MESSAGE("of " + std::to_string(acknowledged.size()) + " acknowledged",
                                     std::size_t(0), missing);
        host.stop();
    }

  private:
    // Client threads, stopped and joined however the test ends.
    struct Clients {
        std::atomic<bool> stop{false};
        std::vector<std::thread> threads;

        void join() {
            stop = true;
            for (auto& thread : threads) {
                if (thread.joinable()) {
                    thread.join();
                }
            }
        }
        ~Clients() { join(); }
    };

    static std::string encoded(const std::string& text) {
        std::string out;
        Poco::URI::encode(text, "\"=&+ ", out);
        return out;
    }

    static int totalResults(const std::string& body) {
        return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>()->getValue<int>(
            "totalResults");
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(KilledUnderWritesTest, "KilledUnderWritesTest");
