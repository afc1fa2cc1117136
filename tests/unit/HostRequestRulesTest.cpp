// The host's pure request rules: how a body is framed (RFC 9112 §6) and what a client is and
// addressed, with and without a trusted proxy.
#include "ClientLimit.h"
#include "ClientView.h"
#include "HostSettings.h"
#include "RequestFraming.h"

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/Util/MapConfiguration.h>

#include <cppunit/extensions/HelperMacros.h>

#include <set>
#include <vector>

namespace {

Poco::Net::HTTPRequest head(const std::string& method,
                            const std::vector<std::pair<std::string, std::string>>& fields) {
    Poco::Net::HTTPRequest request(method, "/x", Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& field : fields) {
        request.add(field.first, field.second);
    }
    return request;
}

}  // namespace

class HostRequestRulesTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(HostRequestRulesTest);
    CPPUNIT_TEST(framesBodiesOneWayOnly);
    CPPUNIT_TEST(validatesAuthorities);
    CPPUNIT_TEST(trustsForwardedFieldsOnlyFromTrustedProxies);
    CPPUNIT_TEST(aBadSettingNamesItsKey);
    CPPUNIT_TEST(anIpv6ClientIsItsSlash64);
    CPPUNIT_TEST_SUITE_END();

  public:
    void framesBodiesOneWayOnly() {
        using timhost::framingOf;
        using Body = timhost::RequestFraming::Body;
        CPPUNIT_ASSERT(framingOf(head("GET", {})).body == Body::None);
        CPPUNIT_ASSERT_EQUAL(0, framingOf(head("DELETE", {})).refusal);
        const auto length = framingOf(head("POST", {{"Content-Length", "12"}}));
        CPPUNIT_ASSERT(length.body == Body::Length);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(12), length.length);
        CPPUNIT_ASSERT(framingOf(head("POST", {{"Content-Length", "0"}})).body == Body::None);
        CPPUNIT_ASSERT(framingOf(head("POST", {{"Transfer-Encoding", "Chunked"}})).body ==
                       Body::Chunked);
        const std::vector<std::pair<int, std::vector<std::pair<std::string, std::string>>>>
            refused = {
                {400, {{"Content-Length", "5"}, {"Transfer-Encoding", "chunked"}}},
                {400, {{"Content-Length", "5"}, {"Content-Length", "5"}}},
                {400, {{"Content-Length", "5, 5"}}},
                {400, {{"Content-Length", "+5"}}},
                {400, {{"Content-Length", "-1"}}},
                {400, {{"Content-Length", "0x10"}}},
                {400, {{"Content-Length", "1234567890123456789"}}},
                {501, {{"Transfer-Encoding", "gzip"}}},
                {501, {{"Transfer-Encoding", "chunked, gzip"}}},
                {501, {{"Transfer-Encoding", "chunked"}, {"Transfer-Encoding", "chunked"}}},
                {411, {}},
            };
        for (const auto& [status, fields] : refused) {
            const auto framing = framingOf(head("POST", fields));
            CPPUNIT_ASSERT_EQUAL(status, framing.refusal);
            CPPUNIT_ASSERT(!framing.detail.empty());
        }
        CPPUNIT_ASSERT_EQUAL(411, framingOf(head("PATCH", {})).refusal);
        CPPUNIT_ASSERT_EQUAL(411, framingOf(head("PUT", {})).refusal);
    }

    void validatesAuthorities() {
        for (const char* valid : {"tim.example.com", "tim.example.com:8443", "127.0.0.1:80",
                                  "[::1]", "[2001:db8::1]:443", "localhost"}) {
            CPPUNIT_ASSERT_MESSAGE(valid, timhost::isValidAuthority(valid));
        }
        for (const char* invalid :
             {"", "evil.example/x", "a b", "host:", "host:123456", "host:80:80", "[::1",
              "[notv6]:80", "user@host", "ho%2fst", "host\r\nX: y", "[127.0.0.1]"}) {
            CPPUNIT_ASSERT_MESSAGE(invalid, !timhost::isValidAuthority(invalid));
        }
    }

    void trustsForwardedFieldsOnlyFromTrustedProxies() {
        const auto request =
            head("GET", {{"Host", "direct.example"},
                         {"X-Forwarded-For", "198.51.100.4, 203.0.113.9, 10.0.0.2"},
                         {"X-Forwarded-Proto", "https"},
                         {"X-Forwarded-Host", "tim.example.com"}});
        const auto direct =
            timhost::clientViewOf(request, "10.0.0.1", false, "10.0.0.5:8080", {}, {});
        CPPUNIT_ASSERT_EQUAL(std::string("10.0.0.1"), direct.address);
        // A Host nobody allowed never reaches a URL: the listener does.
        CPPUNIT_ASSERT_EQUAL(std::string("http://10.0.0.5:8080"), direct.origin);
        for (const auto& allowed :
             std::vector<std::set<std::string>>{{"direct.example"}, {"direct.example:8080"}}) {
            const auto named =
                timhost::clientViewOf(head("GET", {{"Host", "Direct.Example:8080"}}), "10.0.0.1",
                                      false, "10.0.0.5:8080", {}, allowed);
            CPPUNIT_ASSERT_EQUAL(std::string("http://Direct.Example:8080"), named.origin);
        }
        for (const char* loopback : {"localhost:8080", "127.0.0.1:8080", "[::1]:8080"}) {
            CPPUNIT_ASSERT_EQUAL("http://" + std::string(loopback),
                                 timhost::clientViewOf(head("GET", {{"Host", loopback}}),
                                                       "127.0.0.1", false, "127.0.0.1:8080", {}, {})
                                     .origin);
        }
        CPPUNIT_ASSERT_EQUAL(
            std::string("http://127.0.0.1:8080"),
            timhost::clientViewOf(head("GET", {{"Host", "evil.example:444"}}), "127.0.0.1", false,
                                  "127.0.0.1:8080", {}, {"tim.example.com"})
                .origin);
        // Behind two trusted proxies the client is the nearest untrusted hop.
        const auto proxied = timhost::clientViewOf(request, "10.0.0.1", false, "10.0.0.5:8080",
                                                   {"10.0.0.1", "10.0.0.2"}, {});
        CPPUNIT_ASSERT_EQUAL(std::string("203.0.113.9"), proxied.address);
        CPPUNIT_ASSERT_EQUAL(std::string("https://tim.example.com"), proxied.origin);
        // A forged hop that is no address stops the walk at the last trusted one.
        const auto forged =
            timhost::clientViewOf(head("GET", {{"X-Forwarded-For", "x\r\ny, 10.0.0.2"}}),
                                  "10.0.0.1", true, "10.0.0.5:443", {"10.0.0.1", "10.0.0.2"}, {});
        CPPUNIT_ASSERT_EQUAL(std::string("10.0.0.2"), forged.address);
        CPPUNIT_ASSERT_EQUAL(std::string("https://10.0.0.5:443"), forged.origin);
        // The client's own line comes first, its proxy appends another: the lines are one
        // list, read from the right, so the spoofed first element is never the client.
        const auto appended = timhost::clientViewOf(
            head("GET", {{"X-Forwarded-For", "192.0.2.66"}, {"X-Forwarded-For", "203.0.113.9"}}),
            "10.0.0.1", false, "10.0.0.5:8080", {"10.0.0.1"}, {});
        CPPUNIT_ASSERT_EQUAL(std::string("203.0.113.9"), appended.address);
    }

    void aBadSettingNamesItsKey() {
        for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
                 {"http.plainHttp", "maybe"},
                 {"http.port", "eighty"},
                 {"http.maxConnectionsPerClient", "0"}}) {
            Poco::AutoPtr<Poco::Util::MapConfiguration> config(new Poco::Util::MapConfiguration);
            config->setString(key, value);
            try {
                timhost::HostSettings::read(*config);
                CPPUNIT_FAIL(key + "=" + value + " was accepted");
            } catch (const Poco::InvalidArgumentException& e) {
                CPPUNIT_ASSERT_MESSAGE(e.message(), e.message().find(key) != std::string::npos);
            }
        }
    }

    // One host holds a whole /64: counted per address, an IPv6 attacker has no limit at all.
    void anIpv6ClientIsItsSlash64() {
        using timhost::ClientLimit;
        CPPUNIT_ASSERT_EQUAL(std::string("192.0.2.7"), ClientLimit::keyOf("192.0.2.7"));
        CPPUNIT_ASSERT_EQUAL(std::string("::ffff:192.0.2.7"),
                             ClientLimit::keyOf("::ffff:192.0.2.7"));
        CPPUNIT_ASSERT_EQUAL(std::string("2001:db8:1:2::/64"),
                             ClientLimit::keyOf("2001:db8:1:2:aaaa:bbbb:cccc:dddd"));
        Poco::Logger& logger = Poco::Logger::get("test.clientlimit");
        timhost::LineThrottle log(logger);
        ClientLimit limit(2, {"2001:db8:9::1"}, log);
        CPPUNIT_ASSERT(limit.tryOpen("2001:db8:1:2::1"));
        CPPUNIT_ASSERT(limit.tryOpen("2001:db8:1:2::2"));
        CPPUNIT_ASSERT(!limit.tryOpen("2001:db8:1:2::3"));  // the same /64
        CPPUNIT_ASSERT(limit.tryOpen("2001:db8:1:3::1"));   // another
        CPPUNIT_ASSERT(limit.tryOpen("192.0.2.1"));
        CPPUNIT_ASSERT(limit.tryOpen("192.0.2.2"));
        limit.closed("2001:db8:1:2::1");
        CPPUNIT_ASSERT(limit.tryOpen("2001:db8:1:2::4"));
        for (int i = 0; i < 5; ++i) {
            CPPUNIT_ASSERT(limit.tryOpen("2001:db8:9::1"));  // a trusted proxy: exempt
        }
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(HostRequestRulesTest, "HostRequestRulesTest");
