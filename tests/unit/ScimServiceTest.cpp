// The SCIM service's routing below the base path and its error funnel.
#include "api/ScimService.h"
#include "api/UsersEndpoint.h"
#include "port/StoreErrors.h"
#include "support/CapturingChannel.h"
#include "support/FakeStores.h"
#include "support/PrometheusText.h"

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/Data/DataException.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Message.h>

#include <cppunit/extensions/HelperMacros.h>

#include <functional>
#include <stdexcept>

namespace {

api::Request get(const std::string& path) {
    api::Request request;
    request.method = "GET";
    request.path = path;
    request.header = [](const std::string& name) -> std::optional<std::string> {
        if (name == "Host") {
            return std::string("tim.example:8443");
        }
        return std::nullopt;
    };
    return request;
}

api::Access allowAll(const api::Request&) {
    return api::Access::Provisioning;
}

std::string header(const api::Response& response, const std::string& name) {
    for (const auto& h : response.headers) {
        if (h.first == name) {
            return h.second;
        }
    }
    return "";
}

Poco::JSON::Object::Ptr body(const api::Response& response) {
    return Poco::JSON::Parser().parse(response.body).extract<Poco::JSON::Object::Ptr>();
}

using testing::CapturingChannel;

}  // namespace

class ScimServiceTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ScimServiceTest);
    CPPUNIT_TEST(resourcePathStripsBaseV2AndTrailingSlash);
    CPPUNIT_TEST(servesServiceProviderConfigWithLocation);
    CPPUNIT_TEST(publicUrlOverridesTheHostHeader);
    CPPUNIT_TEST(unknownResourceIs404AndWrongMethodIs405);
    CPPUNIT_TEST(everyPathNeedsAuthenticationFirst);
    CPPUNIT_TEST(storeErrorsHaveTheirAnswersAndAnythingElseIs500WithoutDetails);
    CPPUNIT_TEST(everyAnswerHasARequestIdAndOneAccessLine);
    CPPUNIT_TEST(denialsAreCountedByReasonAndLoggedOncePerSecondPerAddress);
    CPPUNIT_TEST(metricsNeedTheTokenUnlessPublicAndLabelOnlyKnownResources);
    CPPUNIT_TEST_SUITE_END();

  public:
    void resourcePathStripsBaseV2AndTrailingSlash() {
        const std::string base = "/tim/api/scim";
        struct Case {
            const char* path;
            std::optional<std::string> expected;
        } cases[] = {
            {"/tim/api/scim", std::string("")},
            {"/tim/api/scim/", std::string("")},
            {"/tim/api/scim/Users", std::string("/Users")},
            {"/tim/api/scim/Users/", std::string("/Users")},
            {"/tim/api/scim/v2/Users/abc", std::string("/Users/abc")},
            {"/tim/api/scim/v2", std::string("")},
            {"/tim/api/scim/v2x", std::string("/v2x")},
            {"/tim/api/scim/Users/a%20b", std::string("/Users/a b")},
            {"/tim/api/scimx", std::nullopt},
            {"/tim/api", std::nullopt},
        };
        for (const auto& c : cases) {
            CPPUNIT_ASSERT_MESSAGE(c.path, api::resourcePathOf(c.path, base) == c.expected);
        }
    }

    void servesServiceProviderConfigWithLocation() {
        api::ScimService service(api::ServiceSettings{}, allowAll, Poco::Logger::get("test"));
        for (const char* path :
             {"/tim/api/scim/ServiceProviderConfig", "/tim/api/scim/v2/ServiceProviderConfig",
              "/tim/api/scim/serviceproviderconfig"}) {
            const auto response = service.handle(get(path));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path, 200, response.status);
            CPPUNIT_ASSERT_EQUAL(
                std::string("http://tim.example:8443/tim/api/scim/ServiceProviderConfig"),
                body(response)->getObject("meta")->getValue<std::string>("location"));
        }
    }

    void publicUrlOverridesTheHostHeader() {
        api::ServiceSettings settings;
        settings.publicUrl = "https://tim.example.com/tim/api/scim";
        api::ScimService service(settings, allowAll, Poco::Logger::get("test"));
        const auto response = service.handle(get("/tim/api/scim/ServiceProviderConfig"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("https://tim.example.com/tim/api/scim/ServiceProviderConfig"),
            body(response)->getObject("meta")->getValue<std::string>("location"));
    }

    void unknownResourceIs404AndWrongMethodIs405() {
        api::ScimService service(api::ServiceSettings{}, allowAll, Poco::Logger::get("test"));
        const auto missing = service.handle(get("/tim/api/scim/Nothing"));
        CPPUNIT_ASSERT_EQUAL(404, missing.status);
        CPPUNIT_ASSERT_EQUAL(std::string("404"), body(missing)->getValue<std::string>("status"));
        // The base itself is no resource either (it was a 500: an out-of-range substring).
        for (const char* base : {"/tim/api/scim", "/tim/api/scim/", "/tim/api/scim/v2"}) {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(base, 404, service.handle(get(base)).status);
        }

        api::Request post = get("/tim/api/scim/ServiceProviderConfig");
        post.method = "POST";
        const auto refused = service.handle(post);
        CPPUNIT_ASSERT_EQUAL(405, refused.status);
        CPPUNIT_ASSERT_EQUAL(std::string("405"), body(refused)->getValue<std::string>("status"));
    }

    void everyPathNeedsAuthenticationFirst() {
        int asked = 0;
        api::ScimService service(
            api::ServiceSettings{},
            [&asked](const api::Request&) {
                ++asked;
                return api::Access::Denied;
            },
            Poco::Logger::get("test"));
        for (const char* path :
             {"/tim/api/scim/ServiceProviderConfig", "/tim/api/scim/Nothing", "/tim/api/scim"}) {
            const auto response = service.handle(get(path));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path, 401, response.status);
            CPPUNIT_ASSERT_EQUAL(std::string("Bearer"), header(response, "WWW-Authenticate"));
            CPPUNIT_ASSERT_EQUAL(std::string("Invalid SCIM endpoint or token"),
                                 body(response)->getValue<std::string>("detail"));
        }
        CPPUNIT_ASSERT_EQUAL(3, asked);
    }

    // The funnel, with failures thrown where a request first touches the store (the token's
    // registry look-up): each typed store error has its answer; anything else is a 500. No 5xx
    // detail carries what the failure said.
    void storeErrorsHaveTheirAnswersAndAnythingElseIs500WithoutDetails() {
        using port::Unavailable;
        struct Case {
            std::function<void()> fail;
            int status;
            std::string scimType;
        } cases[] = {
            {[] { throw Unavailable(Unavailable::Cause::Busy, "pool of 32 on tim_user"); }, 503,
             ""},
            {[] { throw Unavailable(Unavailable::Cause::Down, "mysql: Lost connection (2013)"); },
             503, ""},
            {[] { throw port::NotFound("No user u-1"); }, 404, ""},
            {[] { throw port::VersionMismatch("The user changed since version 3"); }, 412, ""},
            {[] {
                 throw port::Conflict(port::Conflict::Kind::Uniqueness, "userName taken", "u-2");
             },
             409, "uniqueness"},
            {[] { throw port::Conflict(port::Conflict::Kind::Contention, "retry"); }, 409, ""},
            {[] { throw port::TooLarge("more than 60000 bytes"); }, 413, ""},
            {[] { throw port::InvalidQuery(port::InvalidQuery::Kind::Filter, "meta.created"); },
             400, "invalidFilter"},
            {[] { throw port::InvalidQuery(port::InvalidQuery::Kind::Value, "sortBy x"); }, 400,
             "invalidValue"},
            {[] { throw Poco::Data::DataException("syntax error near tim_user"); }, 500, ""},
            {[] { throw std::runtime_error("std::bad_thing"); }, 500, ""},
        };
        for (const auto& c : cases) {
            api::ScimService service(
                api::ServiceSettings{},
                [&c](const api::Request&) {
                    c.fail();
                    return api::Access::Provisioning;
                },
                Poco::Logger::get("test"));
            const auto response = service.handle(get("/tim/api/scim/Users"));
            CPPUNIT_ASSERT_EQUAL(c.status, response.status);
            CPPUNIT_ASSERT_EQUAL(c.scimType, response.scimType);
            CPPUNIT_ASSERT_EQUAL(std::string(c.status == 503 ? "5" : ""),
                                 header(response, "Retry-After"));
            if (c.status >= 500) {
                const std::string detail = body(response)->getValue<std::string>("detail");
                for (const char* secret : {"tim_user", "mysql", "Lost connection", "bad_thing"}) {
                    CPPUNIT_ASSERT_MESSAGE(detail, detail.find(secret) == std::string::npos);
                }
            }
        }
    }

    void metricsNeedTheTokenUnlessPublicAndLabelOnlyKnownResources() {
        for (const bool isPublic : {false, true}) {
            api::Metrics metrics;
            api::ServiceSettings settings;
            settings.metricsPublic = isPublic;
            testing::FakeUserStore store;
            const api::UsersEndpoint users(store, api::UsersSettings{}, Poco::Logger::get("test"));
            api::ScimService service(
                settings, [](const api::Request&) { return api::Access::Denied; },
                Poco::Logger::get("test"),
                api::ServedResources({{&users, api::InBulk::WritesSecrets}}),
                api::Observability{&metrics,
                                   [] {
                                       return port::DatabaseUsage{{1, 0, 4}};
                                   },
                                   [] { return std::optional<port::SharedFacts>(); }});
            CPPUNIT_ASSERT_EQUAL(isPublic ? 200 : 401,
                                 service.handle(get("/tim/api/scim/metrics")).status);
            // Only the metrics are public; everything else still needs the token.
            CPPUNIT_ASSERT_EQUAL(401, service.handle(get("/tim/api/scim/Users/u-123")).status);
            CPPUNIT_ASSERT_EQUAL(401, service.handle(get("/tim/api/scim/u-123")).status);
            if (!isPublic) {
                continue;
            }
            const auto scraped = service.handle(get("/tim/api/scim/metrics"));
            CPPUNIT_ASSERT_EQUAL(std::string("text/plain; version=0.0.4; charset=utf-8"),
                                 header(scraped, "Content-Type"));
            const testing::PrometheusText text(scraped.body);
            const std::string count = "tim_scim_request_duration_seconds_count";
            CPPUNIT_ASSERT_EQUAL(
                1.0, text.value(count + R"({endpoint="metrics",method="GET",status="200"})"));
            CPPUNIT_ASSERT_EQUAL(
                1.0, text.value(count + R"({endpoint="Users",method="GET",status="401"})"));
            CPPUNIT_ASSERT_EQUAL(
                1.0, text.value(count + R"({endpoint="other",method="GET",status="401"})"));
            CPPUNIT_ASSERT_EQUAL(4.0, text.value("tim_scim_db_pool_capacity{}"));
        }
    }

    void everyAnswerHasARequestIdAndOneAccessLine() {
        for (const bool accessLog : {true, false}) {
            Poco::AutoPtr<CapturingChannel> channel(new CapturingChannel);
            Poco::Logger& logger =
                Poco::Logger::get(accessLog ? "test.access.on" : "test.access.off");
            logger.setChannel(channel);
            logger.setLevel(Poco::Message::PRIO_INFORMATION);
            api::ServiceSettings settings;
            settings.accessLog = accessLog;
            api::ScimService service(settings, allowAll, logger);
            const auto missing = service.handle(get("/tim/api/scim/Nothing"));
            const auto found = service.handle(get("/tim/api/scim/ServiceProviderConfig"));
            const std::string first = header(missing, "X-Request-Id");
            CPPUNIT_ASSERT_EQUAL(std::size_t(16), first.size());
            CPPUNIT_ASSERT(first != header(found, "X-Request-Id"));
            // The refusal's reason is logged either way; the access lines only when on.
            CPPUNIT_ASSERT_EQUAL(
                std::string("GET /tim/api/scim/Nothing from -: refused 404 No SCIM "
                            "resource at /tim/api/scim/Nothing"),
                channel->lines.at(0));
            std::vector<std::string> access;
            for (const auto& line : channel->lines) {
                if (line.rfind("access ", 0) == 0) {
                    access.push_back(line);
                }
            }
            if (!accessLog) {
                CPPUNIT_ASSERT_EQUAL(std::size_t(1), channel->lines.size());
                CPPUNIT_ASSERT(access.empty());
                continue;
            }
            CPPUNIT_ASSERT_EQUAL(std::size_t(2), access.size());
            CPPUNIT_ASSERT_MESSAGE(access[0], access[0].find("access GET /tim/api/scim/Nothing 404 "
                                                             "scimType=- ") == 0);
            CPPUNIT_ASSERT_MESSAGE(access[1], access[1].find("access GET /tim/api/scim/"
                                                             "ServiceProviderConfig 200 ") == 0);
            const std::string bytes = " " + std::to_string(found.body.size()) + "B client=-";
            CPPUNIT_ASSERT(
                access[1].compare(access[1].size() - bytes.size(), bytes.size(), bytes) == 0);
        }
    }

    // An unauthenticated client cannot flood the log: its denials are one "refused" line (no
    // access line) per second per address; the metrics count each by reason, and a metrics
    // token reaching for a resource as "scope".
    void denialsAreCountedByReasonAndLoggedOncePerSecondPerAddress() {
        Poco::AutoPtr<CapturingChannel> channel(new CapturingChannel);
        Poco::Logger& logger = Poco::Logger::get("test.denials");
        logger.setChannel(channel);
        logger.setLevel(Poco::Message::PRIO_INFORMATION);
        api::Metrics metrics;
        api::ScimService service(
            api::ServiceSettings{},
            [](const api::Request& request) {
                if (request.headerValue("Authorization")) {
                    return api::Verdict(api::Access::MetricsOnly);
                }
                return api::Verdict(api::Access::Denied, "the token has expired", "expired");
            },
            logger, {},
            api::Observability{&metrics, [] { return port::DatabaseUsage{}; }, nullptr});
        const auto from = [](const std::string& client, bool withToken = false) {
            api::Request request = get("/tim/api/scim/Users");
            request.clientAddress = client;
            if (withToken) {
                request.header = [](const std::string& name) -> std::optional<std::string> {
                    return name == "Authorization" ? std::optional<std::string>("Bearer m")
                                                   : std::nullopt;
                };
            }
            return request;
        };
        for (int i = 0; i < 20; ++i) {
            CPPUNIT_ASSERT_EQUAL(401, service.handle(from("192.0.2.1")).status);
        }
        CPPUNIT_ASSERT_EQUAL(401, service.handle(from("192.0.2.2")).status);
        CPPUNIT_ASSERT_EQUAL(403, service.handle(from("192.0.2.3", true)).status);
        const std::vector<std::string> denials(channel->lines.begin(), channel->lines.begin() + 2);
        CPPUNIT_ASSERT_EQUAL(std::string("GET /tim/api/scim/Users from 192.0.2.1: refused 401 the "
                                         "token has expired"),
                             denials[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("GET /tim/api/scim/Users from 192.0.2.2: refused 401 the "
                                         "token has expired"),
                             denials[1]);
        // Then the 403's refusal and access lines: a token holder is not throttled.
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), channel->lines.size());
        CPPUNIT_ASSERT(channel->lines[3].rfind("access GET /tim/api/scim/Users 403 ", 0) == 0);
        api::Request scrape = get("/tim/api/scim/metrics");
        scrape.header = [](const std::string& name) -> std::optional<std::string> {
            return name == "Authorization" ? std::optional<std::string>("Bearer m") : std::nullopt;
        };
        const testing::PrometheusText text(service.handle(scrape).body);
        CPPUNIT_ASSERT_EQUAL(21.0, text.value(R"(tim_scim_refusals_total{reason="expired"})"));
        CPPUNIT_ASSERT_EQUAL(1.0, text.value(R"(tim_scim_refusals_total{reason="scope"})"));
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(ScimServiceTest, "ScimServiceTest");
