// What an operator watches, through the real host: the log (one access line per SCIM request
// with a valid token, every line a request writes prefixed with its id, the client's
// X-Request-Id or a new one answered in the same header, and no secret from the query or the
// Authorization header) and the Prometheus metrics at <basePath>/metrics.
#include "support/HostProcess.h"
#include "support/PrometheusText.h"
#include "support/RawConnection.h"

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <regex>

using testing::HostProcess;

namespace {

// The host log's line that contains `part`, or "" when none does (yet).
std::string lineWith(const HostProcess& host, const std::string& part) {
    const std::string log = host.log();
    const auto at = log.find(part);
    if (at == std::string::npos) {
        return "";
    }
    const auto start = log.rfind('\n', at);
    return log.substr(start == std::string::npos ? 0 : start + 1,
                      log.find('\n', at) - (start == std::string::npos ? 0 : start + 1));
}

}  // namespace

class ObservabilityTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ObservabilityTest);
    CPPUNIT_TEST(eachRequestHasAnAccessLineUnderItsId);
    CPPUNIT_TEST(linesARequestWritesCarryItsId);
    CPPUNIT_TEST(secretsStayOutOfTheLog);
    CPPUNIT_TEST(metricsAreServedToTheTokenAsPrometheusText);
    CPPUNIT_TEST(theAuditCommandShowsAUsersWritesUnderTheirRequestIds);
    CPPUNIT_TEST_SUITE_END();

  public:
    void setUp() override {
        _host = std::make_unique<HostProcess>(std::vector<std::string>{"tim-scim"});
        _host->start();
        _send = std::make_unique<testing::ScimClient>(*_host);
    }

    void tearDown() override {
        _send.reset();
        CPPUNIT_ASSERT_EQUAL(0, _host->stop());
    }

    void eachRequestHasAnAccessLineUnderItsId() {
        const auto result =
            (*_send)("GET", "/Users?count=1", "", {{"X-Request-Id", "entra-run-1"}});
        CPPUNIT_ASSERT_EQUAL(200, result.status);
        CPPUNIT_ASSERT_EQUAL(std::string("entra-run-1"), result.header("x-request-id"));
        CPPUNIT_ASSERT_MESSAGE(
            _host->log(), testing::eventually([&] {
                return !lineWith(*_host,
                                 "[entra-run-1] access GET /tim/api/scim/Users?count=1 "
                                 "200 scimType=- ")
                            .empty();
            }));
        const auto refused = (*_send)("GET", "/Users?filter=userName%20zz%20%22a%22");
        const std::string id = refused.header("x-request-id");
        CPPUNIT_ASSERT_EQUAL(std::size_t(16), id.size());
        CPPUNIT_ASSERT(testing::eventually([&] {
            return !lineWith(*_host, "[" + id + "] access GET /tim/api/scim/Users?filter=" +
                                         "userName%20zz%20%22a%22 400 scimType=invalidFilter ")
                        .empty();
        }));
    }

    void linesARequestWritesCarryItsId() {
        const auto group = (*_send)("POST", "/Groups",
                                    R"({"displayName":"Team","members":[{"value":"no-such-id"}]})");
        CPPUNIT_ASSERT_EQUAL(201, group.status);
        const std::string id = group.header("x-request-id");
        CPPUNIT_ASSERT(testing::eventually(
            [&] { return !lineWith(*_host, "[" + id + "] access POST").empty(); }));
        const std::string ignored = lineWith(*_host, "member no-such-id is not a user or group");
        CPPUNIT_ASSERT_MESSAGE(_host->log(),
                               ignored.find("[" + id + "] group ") != std::string::npos);
    }

    void secretsStayOutOfTheLog() {
        (*_send)("GET", "/Users?access_token=s3cr3t-in-query");
        // From an address of its own: an address's refusals are logged once a second.
        testing::RawConnection connection(*_host, "127.0.0.9");
        connection.send(
            "GET /tim/api/scim/Users HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
            "Bearer forged.t0ken.value\r\nConnection: close\r\n\r\n");
        const auto refused = connection.readUntilClosed(10);
        CPPUNIT_ASSERT(refused);
        CPPUNIT_ASSERT_EQUAL(std::string("HTTP/1.1 401 Unauthorized"),
                             testing::statusLineOf(*refused));
        std::smatch id;
        CPPUNIT_ASSERT(std::regex_search(*refused, id, std::regex("X-Request-Id: (\\w+)\r\n")));
        CPPUNIT_ASSERT(testing::eventually([&] {
            return !lineWith(*_host, "[" + id.str(1) +
                                         "] GET /tim/api/scim/Users from 127.0.0.9: refused 401 ")
                        .empty();
        }));
        const std::string log = _host->log();
        CPPUNIT_ASSERT(log.find("access_token=***") != std::string::npos);
        for (const char* secret : {"s3cr3t-in-query", "forged.t0ken.value"}) {
            CPPUNIT_ASSERT_MESSAGE(secret, log.find(secret) == std::string::npos);
        }
    }

    void metricsAreServedToTheTokenAsPrometheusText() {
        CPPUNIT_ASSERT_EQUAL(200, (*_send)("GET", "/Users").status);
        CPPUNIT_ASSERT_EQUAL(404, (*_send)("GET", "/Users/no-such-user").status);
        CPPUNIT_ASSERT_EQUAL(401, _host->request("GET", "/tim/api/scim/metrics").status);
        const auto scraped = (*_send)("GET", "/metrics");
        CPPUNIT_ASSERT_EQUAL(200, scraped.status);
        const testing::PrometheusText text(scraped.body);
        const std::string count = "tim_scim_request_duration_seconds_count";
        CPPUNIT_ASSERT_EQUAL(1.0,
                             text.value(count + R"({endpoint="Users",method="GET",status="200"})"));
        CPPUNIT_ASSERT_EQUAL(1.0,
                             text.value(count + R"({endpoint="Users",method="GET",status="404"})"));
        CPPUNIT_ASSERT_EQUAL(
            1.0, text.value(count + R"({endpoint="metrics",method="GET",status="401"})"));
        CPPUNIT_ASSERT_EQUAL(32.0, text.value("tim_scim_db_pool_capacity{}"));
        CPPUNIT_ASSERT(text.value(R"(tim_scim_db_pool_sessions{state="idle"})") >= 1);
    }

    void theAuditCommandShowsAUsersWritesUnderTheirRequestIds() {
        const auto created = (*_send)("POST", "/Users",
                                      R"({"userName":"audited@example.com","externalId":"e-aud"})");
        CPPUNIT_ASSERT_EQUAL(201, created.status);
        const std::string id =
            created.body.substr(created.body.find("\"id\":\"") + 6, 36);  // a UUID
        const auto disabled =
            (*_send)("PATCH", "/Users/" + id,
                     R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],)"
                     R"("Operations":[{"op":"Replace","path":"active","value":"False"}]})");
        CPPUNIT_ASSERT_EQUAL(200, disabled.status);

        std::string out;
        std::string err;
        CPPUNIT_ASSERT_EQUAL(0, _host->runCommand("scim.audit", {"e-aud"}, out, err));
        const std::string prefix = "  User  " + id + "  externalId=e-aud  request=";
        CPPUNIT_ASSERT_MESSAGE(out, out.find("  create" + prefix + created.header("x-request-id") +
                                             "  changed=") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(
            out, out.find("  disable" + prefix + disabled.header("x-request-id") +
                          "  changed=active  outcome=applied\n") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(0, _host->runCommand("scim.audit", {"--latest", "1"}, out, err));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1),
                             static_cast<std::size_t>(std::count(out.begin(), out.end(), '\n')));
        CPPUNIT_ASSERT(out.find("  disable  User  " + id) != std::string::npos);
        CPPUNIT_ASSERT(_host->runCommand("scim.audit", {}, out, err) != 0);
        CPPUNIT_ASSERT_MESSAGE(err, err.find("usage: scim.audit") != std::string::npos);
    }

  private:
    std::unique_ptr<HostProcess> _host;
    std::unique_ptr<testing::ScimClient> _send;
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(ObservabilityTest, "ObservabilityTest");
