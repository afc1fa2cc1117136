// The database stops under a running host: every request answers 503 with Retry-After (never
// 500), the host stays up, nothing answered 503 is written, and service resumes by itself once
// the database is back. A MariaDB of its own, so the other suites' server is never stopped.
#include "support/HostProcess.h"
#include "support/TestDatabases.h"

#include <Poco/Environment.h>
#include <Poco/FileStream.h>
#include <Poco/JSON/Parser.h>
#include <Poco/NumberParser.h>
#include <Poco/Process.h>
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
    CPPUNIT_TEST_SUITE_END();

  public:
    void tearDown() override { server("stop"); }

    void requestsAnswer503WhileTheDatabaseIsDownAndServiceResumes() {
        const auto database = started();
        HostProcess host({"tim-scim"}, {{"scim.db.connector", "mysql"},
                                        {"scim.db.host", database.host},
                                        {"scim.db.port", std::to_string(database.port)},
                                        {"scim.db.user", database.user},
                                        {"scim.db.password", database.password},
                                        {"scim.db.name", database.freshDatabase("tim_fault")}});
        host.start();
        const testing::ScimClient send(host);
        const auto created = send("POST", "/Users", R"({"userName":"before@example.com"})");
        CPPUNIT_ASSERT_EQUAL(201, created.status);
        const std::string id = Poco::JSON::Parser()
                                   .parse(created.body)
                                   .extract<Poco::JSON::Object::Ptr>()
                                   ->getValue<std::string>("id");

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
        // The outage is a warning in the log, never a 500.
        CPPUNIT_ASSERT(host.log().find("The database is unavailable") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(0, host.stop());
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(DatabaseFaultTest, "DatabaseFaultTest");
