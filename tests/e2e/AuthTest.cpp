// Bearer tokens over HTTP: every forged, stale or malformed credential is 401, a real one 200;
// revocation and expiry take effect end to end; tokens never reach the log.
#include "support/HostProcess.h"
#include "support/PrometheusText.h"
#include "support/RawConnection.h"

#include <Poco/Base64Encoder.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>

#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <regex>

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/String.h>

#include <sstream>
#include <thread>
#include <tuple>
#include <vector>

using testing::HostProcess;
using namespace Poco::Data::Keywords;

namespace {

const std::string kKey = "e2e-signing-key-0123456789abcdef0123456789";
const std::string kPath = "/tim/api/scim/ServiceProviderConfig";

std::map<std::string, std::string> authProperties() {
    return {{"scim.token.signingKey", kKey},
            {"scim.token.cacheSeconds", "1"},
            {"scim.token.clockSkewSeconds", "0"}};
}

Poco::Timestamp secondsFromNow(long seconds) {
    return Poco::Timestamp() +
           static_cast<Poco::Timestamp::TimeDiff>(seconds) * Poco::Timespan::SECONDS;
}

// Claims of a valid token for `jti`; cases change one thing.
Poco::JWT::Token claims(const std::string& jti) {
    Poco::JWT::Token token;
    token.setType("JWT");
    token.setId(jti);
    token.setIssuer("tim");
    token.setAudience("tim-scim");
    token.setSubject("sys.scim");
    token.setIssuedAt(secondsFromNow(-5));
    token.setExpiration(secondsFromNow(3600));
    return token;
}

std::string sign(Poco::JWT::Token token, const std::string& key = kKey,
                 const std::string& algorithm = "HS256") {
    Poco::JWT::Signer signer(key);
    signer.addAlgorithm(algorithm);
    return signer.sign(token, algorithm);
}

// `jwt` with the lowest bit of its last character set: an HS256 signature (32 bytes in 43
// characters) leaves two bits of that character unused, and a lenient decoder ignores them.
std::string withSpareBitSet(std::string jwt) {
    const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    jwt.back() = alphabet[alphabet.find(jwt.back()) ^ 1];
    return jwt;
}

std::string base64url(const std::string& text) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
    encoder << text;
    encoder.close();
    return out.str();
}

std::string jtiOf(const std::string& jwt) {
    return Poco::JWT::Token(jwt).getId();
}

}  // namespace

class AuthTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(AuthTest);
    CPPUNIT_TEST(everyBadCredentialIs401AndAValidTokenIs200);
    CPPUNIT_TEST(refusalsAreLoggedOnceASecondPerAddress);
    CPPUNIT_TEST(revocationTakesEffectWithinSeconds);
    CPPUNIT_TEST(expiryTakesEffect);
    CPPUNIT_TEST(disabledSysScimIsRefused);
    CPPUNIT_TEST(tokenCommandsPrintTokensOnlyWhereAsked);
    CPPUNIT_TEST(invalidLifetimeStopsThePluginNamingTheKey);
    CPPUNIT_TEST(aMetricsTokenReadsTheMetricsAndNothingElse);
    CPPUNIT_TEST_SUITE_END();

  public:
    void everyBadCredentialIs401AndAValidTokenIs200() {
        HostProcess host({"tim-scim"}, authProperties());
        host.start();
        const std::string valid = host.generateToken();
        const std::string jti = jtiOf(valid);
        const std::string revoked = host.generateToken();
        std::string out;
        std::string err;
        CPPUNIT_ASSERT_EQUAL(0, host.runCommand("scim.token.revoke", {jtiOf(revoked)}, out, err));

        auto with = [&](auto change) {
            auto token = claims(jti);
            change(token);
            return "Bearer " + sign(token);
        };
        const std::string parts = valid.substr(0, valid.rfind('.'));
        const std::map<std::string, std::optional<std::string>> attacks = {
            {"no header", std::nullopt},
            {"basic scheme", "Basic c3lzLnNjaW06c2VjcmV0"},
            {"scheme only", "Bearer"},
            {"not a jwt", "Bearer not-a-jwt"},
            {"garbage parts", "Bearer aaa.bbb.ccc"},
            {"tampered signature", "Bearer " + parts + ".AAAA"},
            {"tampered payload",
             "Bearer " + valid.substr(0, valid.find('.') + 1) +
                 base64url(
                     R"({"sub":"sys.scim","iss":"tim","aud":"tim-scim","exp":9999999999,"jti":")" +
                     jti + "\"}") +
                 valid.substr(valid.rfind('.'))},
            {"another key",
             "Bearer " + sign(claims(jti), "another-key-0123456789abcdef0123456789")},
            {"alg none",
             "Bearer " + base64url(R"({"alg":"none","typ":"JWT"})") + "." +
                 base64url(
                     R"({"sub":"sys.scim","iss":"tim","aud":"tim-scim","exp":9999999999,"jti":")" +
                     jti + "\"}") +
                 "."},
            {"other algorithm", "Bearer " + sign(claims(jti), kKey, "HS512")},
            // Other spellings of the valid token: a token has exactly one.
            {"a fourth part", "Bearer " + valid + ".x"},
            {"an empty fourth part", "Bearer " + valid + "."},
            {"padding", "Bearer " + valid + "="},
            {"spare bits set", "Bearer " + withSpareBitSet(valid)},
            {"padded header",
             "Bearer " + valid.substr(0, valid.find('.')) + "=" + valid.substr(valid.find('.'))},
            {"expired", with([](Poco::JWT::Token& t) { t.setExpiration(secondsFromNow(-10)); })},
            {"not yet valid",
             with([](Poco::JWT::Token& t) { t.setNotBefore(secondsFromNow(600)); })},
            {"wrong issuer", with([](Poco::JWT::Token& t) { t.setIssuer("evil"); })},
            {"wrong audience", with([](Poco::JWT::Token& t) { t.setAudience("other-app"); })},
            {"other subject", with([](Poco::JWT::Token& t) { t.setSubject("admin"); })},
            {"no jti", with([](Poco::JWT::Token& t) { t.payload().remove("jti"); })},
            {"unknown jti", with([](Poco::JWT::Token& t) { t.setId("never-issued"); })},
            {"revoked", "Bearer " + revoked},
            {"two tokens", "Bearer " + valid + " " + valid},
            {"two bearer values", "Bearer " + valid + ", Bearer " + valid},
            // Long, yet under the 8 KiB a header field may have (Poco answers 400 beyond).
            {"very long header", "Bearer " + std::string(7000, 'a') + "." + valid},
        };
        for (const auto& attack : attacks) {
            std::map<std::string, std::string> headers;
            if (attack.second) {
                headers["Authorization"] = *attack.second;
            }
            const auto result = host.request("GET", kPath, "", headers);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(attack.first, 401, result.status);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(attack.first, std::string("Bearer"),
                                         result.header("www-authenticate"));
            const auto doc =
                Poco::JSON::Parser().parse(result.body).extract<Poco::JSON::Object::Ptr>();
            CPPUNIT_ASSERT_EQUAL_MESSAGE(attack.first,
                                         std::string("Invalid SCIM endpoint or token"),
                                         doc->getValue<std::string>("detail"));
        }
        // Discovery and unknown paths are behind the token too.
        CPPUNIT_ASSERT_EQUAL(401, host.request("GET", "/tim/api/scim/Users").status);
        CPPUNIT_ASSERT_EQUAL(401, host.request("GET", "/tim/api/scim/v2/Schemas").status);

        CPPUNIT_ASSERT_EQUAL(
            200, host.request("GET", kPath, "", {{"Authorization", "Bearer " + valid}}).status);
        CPPUNIT_ASSERT_EQUAL(
            200, host.request("GET", kPath, "", {{"Authorization", "bearer " + valid}}).status);
        // Every refusal is counted by its reason.
        const testing::PrometheusText metrics(
            host.request("GET", "/tim/api/scim/metrics", "", {{"Authorization", "Bearer " + valid}})
                .body);
        double refusals = 0;
        for (const char* reason :
             {"missing_header", "malformed_header", "malformed_token", "wrong_algorithm",
              "bad_signature", "expired", "not_yet_valid", "wrong_issuer", "wrong_audience",
              "wrong_subject", "missing_id", "unknown_id", "revoked"}) {
            const std::string series =
                std::string("tim_scim_refusals_total{reason=\"") + reason + "\"}";
            refusals += metrics.has(series) ? metrics.value(series) : 0;
        }
        CPPUNIT_ASSERT_EQUAL(static_cast<double>(attacks.size() + 2), refusals);
        CPPUNIT_ASSERT_EQUAL(3.0,
                             metrics.value(R"(tim_scim_refusals_total{reason="missing_header"})"));
        CPPUNIT_ASSERT_EQUAL(1.0, metrics.value(R"(tim_scim_refusals_total{reason="revoked"})"));
        CPPUNIT_ASSERT_EQUAL(0, host.stop());
        CPPUNIT_ASSERT_MESSAGE("a token reached the log",
                               host.log().find(valid) == std::string::npos);
        CPPUNIT_ASSERT(host.log().find(parts) == std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(
            host.log(), host.log().find("from 127.0.0.1: refused 401 ") != std::string::npos);
    }

    // A client without a token cannot flood the log: one line a second per address, the next
    // one telling how many were left out; another address is logged meanwhile.
    void refusalsAreLoggedOnceASecondPerAddress() {
        HostProcess host({"tim-scim"}, authProperties());
        host.start();
        const int burst = 40;
        const auto refuse = [&](const std::string& from) {
            testing::RawConnection connection(host, from);
            connection.send(
                "GET /tim/api/scim/Users HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                "Authorization: Bearer not-a-jwt\r\nConnection: close\r\n\r\n");
            const auto answer = connection.readUntilClosed(10);
            CPPUNIT_ASSERT(answer);
            CPPUNIT_ASSERT_EQUAL(std::string("HTTP/1.1 401 Unauthorized"),
                                 testing::statusLineOf(*answer));
        };
        const auto started = std::chrono::steady_clock::now();
        for (int i = 0; i < burst; ++i) {
            refuse("127.0.0.2");
        }
        const double took =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        refuse("127.0.0.3");
        std::this_thread::sleep_for(std::chrono::milliseconds(1100));
        refuse("127.0.0.2");  // a second after the last line: logged, with the count left out
        CPPUNIT_ASSERT_EQUAL(0, host.stop());

        const std::regex refusal(
            R"(GET /tim/api/scim/Users from 127\.0\.0\.2: refused 401 the token is not a )"
            R"(well-formed JWT(?: \((\d+) more from this address not logged\))?)");
        std::istringstream lines(host.log());
        int logged = 0;
        int leftOut = 0;
        for (std::string line; std::getline(lines, line);) {
            std::smatch m;
            if (std::regex_search(line, m, refusal)) {
                ++logged;
                leftOut += m[1].matched ? std::stoi(m[1]) : 0;
            }
            CPPUNIT_ASSERT_MESSAGE(
                line, line.find("access GET /tim/api/scim/Users 401") == std::string::npos);
        }
        // Every refusal is a line or counted in one; about one line a second.
        CPPUNIT_ASSERT_EQUAL(burst + 1, logged + leftOut);
        CPPUNIT_ASSERT_MESSAGE(host.log(), logged >= 2 && logged <= static_cast<int>(took) + 2);
        CPPUNIT_ASSERT_MESSAGE(host.log(),
                               host.log().find("from 127.0.0.3: refused 401") != std::string::npos);
    }

    void revocationTakesEffectWithinSeconds() {
        HostProcess host({"tim-scim"}, authProperties());
        host.start();
        const std::string token = host.generateToken();
        const std::map<std::string, std::string> auth = {{"Authorization", "Bearer " + token}};
        CPPUNIT_ASSERT_EQUAL(200, host.request("GET", kPath, "", auth).status);
        std::string out;
        std::string err;
        CPPUNIT_ASSERT_EQUAL(0, host.runCommand("scim.token.revoke", {jtiOf(token)}, out, err));
        CPPUNIT_ASSERT(testing::eventually(
            [&] { return host.request("GET", kPath, "", auth).status == 401; }, 3000));
        CPPUNIT_ASSERT_EQUAL(0, host.runCommand("scim.token.list", {}, out, err));
        CPPUNIT_ASSERT_MESSAGE(out, out.find(jtiOf(token)) != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(out, out.find("revoked") != std::string::npos);
    }

    void expiryTakesEffect() {
        HostProcess host({"tim-scim"}, authProperties());
        host.start();
        // A registered jti in a token that lives two seconds.
        auto token = claims(jtiOf(host.generateToken()));
        token.setExpiration(secondsFromNow(2));
        const std::map<std::string, std::string> auth = {
            {"Authorization", "Bearer " + sign(token)}};
        CPPUNIT_ASSERT_EQUAL(200, host.request("GET", kPath, "", auth).status);
        CPPUNIT_ASSERT(testing::eventually(
            [&] { return host.request("GET", kPath, "", auth).status == 401; }, 5000));
    }

    void disabledSysScimIsRefused() {
        HostProcess host({"tim-scim"}, authProperties());
        host.start();
        const std::map<std::string, std::string> auth = {
            {"Authorization", "Bearer " + host.generateToken()}};
        CPPUNIT_ASSERT_EQUAL(200, host.request("GET", kPath, "", auth).status);
        Poco::Data::SQLite::Connector::registerConnector();
        {
            Poco::Data::Session db(Poco::Data::SQLite::Connector::KEY,
                                   host.directory() + "/data/tim-scim.db");
            db << "UPDATE tim_user SET active = 0 WHERE user_name = 'sys.scim'", now;
        }
        CPPUNIT_ASSERT(testing::eventually(
            [&] { return host.request("GET", kPath, "", auth).status == 401; }, 3000));
    }

    void tokenCommandsPrintTokensOnlyWhereAsked() {
        HostProcess host({"tim-scim"}, authProperties());
        std::string out;
        std::string err;
        CPPUNIT_ASSERT_EQUAL(0, host.runCommand("scim.token.generate", {}, out, err));
        const std::string token = Poco::trim(out);
        CPPUNIT_ASSERT_EQUAL(token + "\n", out);  // the token and nothing else
        CPPUNIT_ASSERT_EQUAL(std::size_t(2),
                             static_cast<std::size_t>(std::count(token.begin(), token.end(), '.')));
        CPPUNIT_ASSERT_MESSAGE(err, err.find(token) == std::string::npos);
        const Poco::JWT::Token claims(token);
        CPPUNIT_ASSERT_EQUAL(std::string("sys.scim"), claims.getSubject());
        // Default lifetime: one year.
        const auto lifetime = claims.getExpiration() - claims.getIssuedAt();
        CPPUNIT_ASSERT(lifetime >= 365LL * 86400 * 1000000 && lifetime <= 366LL * 86400 * 1000000);

        CPPUNIT_ASSERT_EQUAL(0, host.runCommand("scim.token.list", {}, out, err));
        CPPUNIT_ASSERT(out.find(claims.getId()) != std::string::npos);
        CPPUNIT_ASSERT(out.find(token) == std::string::npos);
        CPPUNIT_ASSERT(host.runCommand("scim.token.revoke", {"no-such-jti"}, out, err) != 0);
        CPPUNIT_ASSERT(host.runCommand("scim.token.revoke", {}, out, err) != 0);
        CPPUNIT_ASSERT_EQUAL(0, host.runCommand("scim.setup-identities", {}, out, err));
        CPPUNIT_ASSERT_EQUAL(std::string("all system identities exist\n"), out);
    }

    void aMetricsTokenReadsTheMetricsAndNothingElse() {
        HostProcess host({"tim-scim"}, authProperties());
        host.start();
        std::string out;
        std::string err;
        CPPUNIT_ASSERT_EQUAL_MESSAGE(
            err, 0, host.runCommand("scim.token.generate", {"--scope", "metrics"}, out, err));
        const std::string metrics = Poco::trim(out);
        CPPUNIT_ASSERT_EQUAL(std::string("metrics"),
                             Poco::JWT::Token(metrics).payload().getValue<std::string>("scope"));
        const auto as = [&](const std::string& token, const std::string& method,
                            const std::string& path, const std::string& body = "") {
            return host
                .request(method, "/tim/api/scim" + path, body,
                         {{"Authorization", "Bearer " + token},
                          {"Content-Type", "application/scim+json"}})
                .status;
        };
        CPPUNIT_ASSERT_EQUAL(200, as(metrics, "GET", "/metrics"));
        for (const auto& [method, path, body] :
             std::vector<std::tuple<std::string, std::string, std::string>>{
                 {"GET", "/Users", ""},
                 {"POST", "/Users", R"({"userName":"sneaky"})"},
                 {"GET", "/ServiceProviderConfig", ""},
                 {"POST", "/Bulk", R"({"Operations":[]})"},
                 {"GET", "/Groups", ""},
                 {"GET", "/v2/Users", ""}}) {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(method + " " + path, 403, as(metrics, method, path, body));
        }
        // The default scope provisions, and reads the metrics too.
        const std::string provisioning = host.generateToken();
        CPPUNIT_ASSERT_EQUAL(200, as(provisioning, "GET", "/Users"));
        CPPUNIT_ASSERT_EQUAL(200, as(provisioning, "GET", "/metrics"));
        CPPUNIT_ASSERT(host.runCommand("scim.token.generate", {"--scope", "admin"}, out, err) != 0);
        CPPUNIT_ASSERT(host.runCommand("scim.token.generate", {"--scope"}, out, err) != 0);
        // Issue and revocation are audit rows: who, jti, scope, expiry.
        const std::string jti = jtiOf(metrics);
        CPPUNIT_ASSERT_EQUAL(0, host.runCommand("scim.token.revoke", {jti}, out, err));
        CPPUNIT_ASSERT(testing::eventually([&] { return as(metrics, "GET", "/metrics") == 401; },
                                           3000));  // within scim.token.cacheSeconds
        CPPUNIT_ASSERT_EQUAL(0, host.runCommand("scim.audit", {jti}, out, err));
        const std::string expires = Poco::DateTimeFormatter::format(
            Poco::JWT::Token(metrics).getExpiration(), Poco::DateTimeFormat::ISO8601_FORMAT);
        CPPUNIT_ASSERT_MESSAGE(out, out.find("token-issue  Token  " + jti) != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(out, out.find("scope=metrics,label=-,expires=" + expires + ",by=") !=
                                        std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(out, out.find("token-revoke  Token  " + jti) != std::string::npos);
        CPPUNIT_ASSERT(out.find(metrics) == std::string::npos);
        CPPUNIT_ASSERT_EQUAL(0, host.runCommand("scim.token.list", {}, out, err));
        // It read the metrics: its last use is a minute, not "never".
        const std::regex row(
            jti + " +- +metrics +\\S+ +\\S+ +\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\dZ +revoked\n");
        CPPUNIT_ASSERT_MESSAGE(out, std::regex_search(out, row));
    }

    void invalidLifetimeStopsThePluginNamingTheKey() {
        auto properties = authProperties();
        properties["jwtAccessTokenExpirationTimeScim"] = "12h";
        HostProcess host({"tim-scim"}, properties);
        CPPUNIT_ASSERT_THROW(host.start(), Poco::IllegalStateException);
        CPPUNIT_ASSERT(host.waitForExit() != 0);
        CPPUNIT_ASSERT_MESSAGE(
            host.log(), host.log().find("jwtAccessTokenExpirationTimeScim") != std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(AuthTest, "AuthTest");
