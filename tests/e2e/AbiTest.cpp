// The ABI boundary over a real timhost: version refusal, failing init, throwing handlers,
// tasks and shutdown, with the tiny plugins of tests/abi.
#include "support/HostProcess.h"
#include "support/RawConnection.h"

#include <Poco/JSON/Parser.h>

#include <cppunit/extensions/HelperMacros.h>

using testing::HostProcess;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

void assertScimError(const testing::HttpResult& result, int status) {
    CPPUNIT_ASSERT_EQUAL(status, result.status);
    const auto doc = Poco::JSON::Parser().parse(result.body).extract<Poco::JSON::Object::Ptr>();
    CPPUNIT_ASSERT_EQUAL(std::string("urn:ietf:params:scim:api:messages:2.0:Error"),
                         doc->getArray("schemas")->getElement<std::string>(0));
    CPPUNIT_ASSERT_EQUAL(std::to_string(status), doc->getValue<std::string>("status"));
}

}  // namespace

class AbiTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(AbiTest);
    CPPUNIT_TEST(manifestAskingForAnotherAbiIsRefusedWithBothVersions);
    CPPUNIT_TEST(requiredPluginThatIsRefusedStopsTheHost);
    CPPUNIT_TEST(libraryReportingAnotherAbiIsRefused);
    CPPUNIT_TEST(failingInitIsReportedAndTheOthersServe);
    CPPUNIT_TEST(exceptionInAHandlerBecomes500AndTheHostSurvives);
    CPPUNIT_TEST(handlerFailureDiscardsItsPartialResponse);
    CPPUNIT_TEST(handlerSeesMethodQueryHeaderAndBody);
    CPPUNIT_TEST(tasksRunOnTheirIntervalWithoutOverlapAndShutdownIsCalled);
    CPPUNIT_TEST(aPluginBuiltForAbi10IsServedAndItsHostErrorsStayJson);
    CPPUNIT_TEST(hostErrorsTakeTheMediaTypeTheRouteDeclares);
    CPPUNIT_TEST(clientAddressAndOriginTrustOnlyTrustedProxies);
    CPPUNIT_TEST_SUITE_END();

  public:
    void manifestAskingForAnotherAbiIsRefusedWithBothVersions() {
        HostProcess host({"future_abi_plugin", "echo_plugin"},
                         {{"plugin.optional", "future_abi_plugin"}});
        host.start();
        CPPUNIT_ASSERT_MESSAGE(host.log(), contains(host.log(),
                                                    "plugin future_abi_plugin 1.0.0 needs plugin "
                                                    "ABI 2.0 but this host supports ABI 1.1"));
        CPPUNIT_ASSERT_EQUAL(200, host.request("GET", "/echo").status);
        CPPUNIT_ASSERT_EQUAL(0, host.stop());
    }

    void requiredPluginThatIsRefusedStopsTheHost() {
        HostProcess host({"future_abi_plugin", "echo_plugin"});
        CPPUNIT_ASSERT_THROW(host.start(), Poco::IllegalStateException);
        CPPUNIT_ASSERT(host.waitForExit() != 0);
        CPPUNIT_ASSERT_MESSAGE(host.log(), contains(host.log(), "needs plugin ABI 2.0"));
    }

    void libraryReportingAnotherAbiIsRefused() {
        HostProcess host({"wrong_abi_plugin", "echo_plugin"},
                         {{"plugin.optional", "wrong_abi_plugin"}});
        host.start();
        CPPUNIT_ASSERT_MESSAGE(host.log(), contains(host.log(),
                                                    "the library reports ABI 99.0 but its "
                                                    "manifest.json says 1.1"));
        CPPUNIT_ASSERT_EQUAL(200, host.request("GET", "/echo").status);
    }

    void failingInitIsReportedAndTheOthersServe() {
        HostProcess host({"failing_init_plugin", "echo_plugin"},
                         {{"plugin.optional", "failing_init_plugin"}});
        host.start();
        CPPUNIT_ASSERT_MESSAGE(host.log(),
                               contains(host.log(),
                                        "plugin failing_init_plugin 1.0.0 failed to start: "
                                        "cannot reach the database at db.example:3306"));
        // The route it registered before failing is gone.
        assertScimError(host.request("GET", "/failing"), 404);
        CPPUNIT_ASSERT_EQUAL(200, host.request("GET", "/echo").status);
    }

    void exceptionInAHandlerBecomes500AndTheHostSurvives() {
        HostProcess host({"throwing_plugin", "echo_plugin"});
        host.start();
        for (const char* path : {"/throw", "/throw?int", "/throw/deeper"}) {
            const auto result = host.request("GET", path);
            assertScimError(result, 500);
            CPPUNIT_ASSERT_EQUAL(std::string("application/scim+json"),
                                 result.header("content-type"));
            CPPUNIT_ASSERT_MESSAGE(result.body, !contains(result.body, "secret internal detail"));
        }
        CPPUNIT_ASSERT(host.running());
        CPPUNIT_ASSERT_EQUAL(200, host.request("GET", "/echo").status);
        CPPUNIT_ASSERT_MESSAGE(host.log(), contains(host.log(), "handler exploded"));
        CPPUNIT_ASSERT_EQUAL(0, host.stop());
    }

    void handlerFailureDiscardsItsPartialResponse() {
        HostProcess host({"echo_plugin"});
        host.start();
        const auto result = host.request("GET", "/echo/fail");
        assertScimError(result, 500);
        CPPUNIT_ASSERT(!contains(result.body, "half a response"));
        CPPUNIT_ASSERT_EQUAL(200, host.request("GET", "/echo").status);
    }

    void handlerSeesMethodQueryHeaderAndBody() {
        HostProcess host({"echo_plugin"});
        host.start();
        const auto result = host.request("POST", "/echo/x?filter=userName+eq+%22a%22", "the body",
                                         {{"X-Test", "header value"}});
        CPPUNIT_ASSERT_EQUAL(200, result.status);
        CPPUNIT_ASSERT_EQUAL(std::string("POST|filter=userName+eq+%22a%22|header value|the body"),
                             result.body);
        CPPUNIT_ASSERT_EQUAL(std::string("text/plain"), result.header("content-type"));
    }

    void tasksRunOnTheirIntervalWithoutOverlapAndShutdownIsCalled() {
        HostProcess host({"echo_plugin"});
        host.start();
        CPPUNIT_ASSERT_MESSAGE(host.log(), testing::eventually([&] {
                                   return contains(host.log(), "echo.tick run 4");
                               }));
        CPPUNIT_ASSERT_EQUAL(0, host.stop());
        const std::string log = host.log();
        CPPUNIT_ASSERT_MESSAGE(log, !contains(log, "OVERLAP"));
        CPPUNIT_ASSERT_MESSAGE(log, contains(log, "echo plugin shut down"));
        // Shutdown comes after the last task run has finished.
        CPPUNIT_ASSERT(log.rfind("echo.tick run") < log.find("echo plugin shut down"));
    }

    void aPluginBuiltForAbi10IsServedAndItsHostErrorsStayJson() {
        HostProcess host({"old_echo_plugin"});
        host.start();
        const auto echoed = host.request("POST", "/echo?q=1", "body", {{"X-Test", "t"}});
        CPPUNIT_ASSERT_EQUAL(200, echoed.status);
        CPPUNIT_ASSERT_EQUAL(std::string("POST|q=1|t|body"), echoed.body);
        CPPUNIT_ASSERT_EQUAL(std::string(), echoed.header("x-client-address"));
        // The field past the plugin's struct_size is never read.
        const auto refused = host.request("DELETE", "/echo");
        assertScimError(refused, 405);
        CPPUNIT_ASSERT_EQUAL(std::string("application/json"), refused.header("content-type"));
        CPPUNIT_ASSERT_EQUAL(0, host.stop());
    }

    void hostErrorsTakeTheMediaTypeTheRouteDeclares() {
        HostProcess host({"echo_plugin"}, {{"http.maxBodyBytes", "100"}});
        host.start();
        const auto expectScim = [](const std::string& what, const testing::HttpResult& result,
                                   int status) {
            assertScimError(result, status);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(what, std::string("application/scim+json"),
                                         result.header("content-type"));
        };
        expectScim("405", host.request("DELETE", "/echo"), 405);
        expectScim("413", host.request("POST", "/echo", std::string(200, 'x')), 413);
        const std::map<std::string, std::string> rawCases = {
            {"411", "POST /echo HTTP/1.1\r\nHost: x\r\n\r\n"},
            {"431", "GET /echo/deeper HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(9000, 'a') +
                        "\r\n\r\n"},
            {"400",
             "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n"
             "Transfer-Encoding: chunked\r\n\r\n"}};
        for (const auto& [status, request] : rawCases) {
            testing::RawConnection connection(host);
            connection.send(request);
            const auto answer = connection.readUntilClosed(5);
            CPPUNIT_ASSERT_MESSAGE(status, answer.has_value());
            CPPUNIT_ASSERT_MESSAGE(*answer, contains(testing::statusLineOf(*answer), status));
            CPPUNIT_ASSERT_MESSAGE(*answer,
                                   contains(*answer, "Content-Type: application/scim+json"));
            CPPUNIT_ASSERT_MESSAGE(*answer, contains(*answer, "\"status\":\"" + status + "\""));
        }
        // Outside every route the host's own default.
        const auto nowhere = host.request("GET", "/nowhere");
        assertScimError(nowhere, 404);
        CPPUNIT_ASSERT_EQUAL(std::string("application/json"), nowhere.header("content-type"));
        CPPUNIT_ASSERT_EQUAL(0, host.stop());
    }

    void clientAddressAndOriginTrustOnlyTrustedProxies() {
        const std::map<std::string, std::string> forwarded = {
            {"X-Forwarded-For", "203.0.113.9, 127.0.0.1"},
            {"X-Forwarded-Proto", "https"},
            {"X-Forwarded-Host", "tim.example.com"},
            {"Host", "direct.example:8080"}};
        {
            HostProcess host({"echo_plugin"});
            host.start();
            const auto direct = host.request("GET", "/echo", "", forwarded);
            CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"), direct.header("x-client-address"));
            // A Host nobody allowed (a client's own) never reaches a URL: the listener does.
            CPPUNIT_ASSERT_EQUAL("http://127.0.0.1:" + std::to_string(host.port()),
                                 direct.header("x-origin"));
            // A Host that is no authority never reaches a URL.
            const auto bad = host.request("GET", "/echo", "", {{"Host", "evil.example/x?y"}});
            CPPUNIT_ASSERT_EQUAL("http://127.0.0.1:" + std::to_string(host.port()),
                                 bad.header("x-origin"));
            CPPUNIT_ASSERT_EQUAL(0, host.stop());
        }
        {
            HostProcess host({"echo_plugin"}, {{"http.allowedHosts", "direct.example:8080"}});
            host.start();
            CPPUNIT_ASSERT_EQUAL(std::string("http://direct.example:8080"),
                                 host.request("GET", "/echo", "", forwarded).header("x-origin"));
            CPPUNIT_ASSERT_EQUAL("http://127.0.0.1:" + std::to_string(host.port()),
                                 host.request("GET", "/echo", "", {{"Host", "evil.example:444"}})
                                     .header("x-origin"));
            CPPUNIT_ASSERT_EQUAL(0, host.stop());
        }
        HostProcess proxied({"echo_plugin"}, {{"http.trustedProxies", "127.0.0.1"}});
        proxied.start();
        const auto viaProxy = proxied.request("GET", "/echo", "", forwarded);
        CPPUNIT_ASSERT_EQUAL(std::string("203.0.113.9"), viaProxy.header("x-client-address"));
        CPPUNIT_ASSERT_EQUAL(std::string("https://tim.example.com"), viaProxy.header("x-origin"));
        CPPUNIT_ASSERT_EQUAL(0, proxied.stop());
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(AbiTest, "AbiTest");
