// The database stops, or freezes, under a running host: every request answers 503 with
// Retry-After (never 500, never later than the timeout), the host stays up, nothing answered
// 503 is written, and service resumes by itself once the database is back. A MariaDB of its
// own, so the other suites' server is never stopped.
#include "support/HostProcess.h"
#include "support/TestDatabases.h"

#include <Poco/Environment.h>
#include <Poco/FileStream.h>
#include <Poco/JSON/Parser.h>
#include <Poco/NumberParser.h>
#include <Poco/Process.h>
#include <Poco/Timestamp.h>
#include <Poco/URI.h>

#include <cppunit/extensions/HelperMacros.h>

using testing::HostProcess;

namespace {

// tests/mariadb/test-server.sh ACTION DIR PORT for this suite's server.
void server(const std::string& action) {
    const std::string dir = Poco::Environment::get("TIM_TEST_FAULT_MARIADB_DIR");
    Poco::ProcessHandle handle =
        Poco::Process::launch(Poco::Environment::get("TIM_TEST_MARIADB_SCRIPT"),
                              {action, dir, Poco::Environment::get("TIM_TEST_FAULT_MARIADB_PORT")});
    if (handle.wait() != 0) {
        throw Poco::RuntimeException("test-server.sh " + action + " failed");
    }
}

testing::MariaDBServer started() {
    server("start");
    std::string port;
    Poco::FileInputStream in(Poco::Environment::get("TIM_TEST_FAULT_MARIADB_DIR") + "/port");
    in >> port;
    return testing::MariaDBServer{"127.0.0.1", Poco::NumberParser::parse(port), "tim",
                                  "tim-test-password"};
}

}  // namespace

class DatabaseFaultTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(DatabaseFaultTest);
    CPPUNIT_TEST(requestsAnswer503WhileTheDatabaseIsDownAndServiceResumes);
    CPPUNIT_TEST(aFrozenDatabaseIs503WithinTheTimeoutAndServiceResumes);
    CPPUNIT_TEST_SUITE_END();

  public:
    void tearDown() override { server("stop"); }

    void requestsAnswer503WhileTheDatabaseIsDownAndServiceResumes() {
        HostProcess host({"tim-scim"}, hostProperties(started()));
        host.start();
        const testing::ScimClient send(host);
        const std::string id = createdUser(send);

        server("stop");
        for (int i = 0; i < 5; ++i) {
            for (const auto& result :
                 {send("GET", "/Users/" + id),
                  send("POST", "/Users", R"({"userName":"during@example.com"})"),
                  send("GET", "/Users?filter=" + std::string("userName%20eq%20%22a%22"))}) {
                CPPUNIT_ASSERT_EQUAL_MESSAGE(result.body, 503, result.status);
                CPPUNIT_ASSERT_EQUAL(std::string("5"), result.header("retry-after"));
            }
        }
        CPPUNIT_ASSERT(host.running());

        server("resume");
        assertServiceResumedWithoutTheOutagesWrites(host, send, id);
    }

    // SIGSTOP: connections stay open and new ones are accepted, but nothing answers, as with a
    // hung server or a network that drops packets. Pooled connections and new ones alike give
    // up after scim.db.timeoutSeconds.
    void aFrozenDatabaseIs503WithinTheTimeoutAndServiceResumes() {
        auto properties = hostProperties(started());
        properties["scim.db.timeoutSeconds"] = "2";
        properties["scim.db.lockWaitSeconds"] = "1";
        properties["scim.token.cacheSeconds"] = "600";  // the outage, not the token check
        HostProcess host({"tim-scim"}, properties);
        host.start();
        const testing::ScimClient send(host);
        const std::string id = createdUser(send);

        server("freeze");
        for (int i = 0; i < 2; ++i) {
            for (const auto& request : std::vector<std::pair<std::string, std::string>>{
                     {"GET", "/Users/" + id},
                     {"POST", R"({"userName":"during@example.com"})"},
                     {"GET", "/Users?filter=userName%20eq%20%22a%22"}}) {
                const Poco::Timestamp sent;
                const auto result = request.first == "POST" ? send("POST", "/Users", request.second)
                                                            : send("GET", request.second);
                const double seconds = static_cast<double>(sent.elapsed()) / 1e6;
                CPPUNIT_ASSERT_EQUAL_MESSAGE(result.body, 503, result.status);
                CPPUNIT_ASSERT_EQUAL(std::string("5"), result.header("retry-after"));
                CPPUNIT_ASSERT_MESSAGE(request.second + ": " + std::to_string(seconds) + " s",
                                       seconds < 5);
            }
        }
        CPPUNIT_ASSERT(host.running());

        server("thaw");
        assertServiceResumedWithoutTheOutagesWrites(host, send, id);
    }

  private:
    static std::map<std::string, std::string> hostProperties(
        const testing::MariaDBServer& database) {
        return database.hostProperties(database.freshDatabase("tim_fault"));
    }

    static std::string createdUser(const testing::ScimClient& send) {
        const auto created = send("POST", "/Users", R"({"userName":"before@example.com"})");
        CPPUNIT_ASSERT_EQUAL(201, created.status);
        return Poco::JSON::Parser()
            .parse(created.body)
            .extract<Poco::JSON::Object::Ptr>()
            ->getValue<std::string>("id");
    }

    // Service resumes by itself, nothing answered 503 was written, and the outage was a
    // warning in the log, never a 500.
    static void assertServiceResumedWithoutTheOutagesWrites(HostProcess& host,
                                                            const testing::ScimClient& send,
                                                            const std::string& id) {
        CPPUNIT_ASSERT_MESSAGE(
            host.log(),
            testing::eventually([&] { return send("GET", "/Users/" + id).status == 200; }, 15000));
        std::string filter;
        Poco::URI::encode(R"(userName eq "during@example.com")", "", filter);
        const auto during = send("GET", "/Users?filter=" + filter);
        CPPUNIT_ASSERT_EQUAL(200, during.status);
        CPPUNIT_ASSERT(during.body.find("\"totalResults\":0") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(201,
                             send("POST", "/Users", R"({"userName":"after@example.com"})").status);
        CPPUNIT_ASSERT(host.log().find("The database is unavailable") != std::string::npos);
        CPPUNIT_ASSERT(host.log().find("HTTP handler failed") == std::string::npos);
        CPPUNIT_ASSERT_EQUAL(0, host.stop());
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(DatabaseFaultTest, "DatabaseFaultTest");
