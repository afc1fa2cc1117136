// The bearer header and claim checks, with a clock the test sets.
#include "auth/TokenCheck.h"

#include <Poco/JSON/Array.h>

#include <cppunit/extensions/HelperMacros.h>

#include <set>

using auth::Rejection;

namespace {

const Poco::Timestamp kNow = Poco::Timestamp::fromEpochTime(1800000000);

Poco::Timestamp secondsFromNow(long seconds) {
    return kNow + static_cast<Poco::Timestamp::TimeDiff>(seconds) * Poco::Timespan::SECONDS;
}

Poco::JWT::Token validToken() {
    Poco::JWT::Token token;
    token.setId("jti-1");
    token.setIssuer("tim");
    token.setAudience("tim-scim");
    token.setSubject("sys.scim");
    token.setIssuedAt(secondsFromNow(-10));
    token.setExpiration(secondsFromNow(3600));
    return token;
}

Rejection check(const Poco::JWT::Token& token) {
    return auth::checkClaims(token, auth::TokenPolicy{}, kNow);  // skew 60 s
}

std::string name(Rejection r) {
    return auth::describe(r);
}

}  // namespace

class TokenCheckTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(TokenCheckTest);
    CPPUNIT_TEST(readsOneBearerToken);
    CPPUNIT_TEST(refusesEveryOtherAuthorizationShape);
    CPPUNIT_TEST(acceptsAValidToken);
    CPPUNIT_TEST(expiryHonoursTheClockSkew);
    CPPUNIT_TEST(notBeforeAndIssuedAtHonourTheClockSkew);
    CPPUNIT_TEST(checksIssuerAudienceSubjectAndId);
    CPPUNIT_TEST(refusesClaimsOfTheWrongType);
    CPPUNIT_TEST(everyRejectionHasItsOwnMetricsLabel);
    CPPUNIT_TEST_SUITE_END();

  public:
    void readsOneBearerToken() {
        for (const char* header : {"Bearer abc.def.ghi", "bearer abc.def.ghi", "BEARER abc.def.ghi",
                                   "  Bearer   abc.def.ghi  ", "Bearer\tabc.def.ghi"}) {
            Rejection why = Rejection::MalformedToken;
            const auto token = auth::bearerToken(std::string(header), why);
            CPPUNIT_ASSERT_MESSAGE(header, token.has_value());
            CPPUNIT_ASSERT_EQUAL(std::string("abc.def.ghi"), *token);
            CPPUNIT_ASSERT(why == Rejection::None);
        }
    }

    void refusesEveryOtherAuthorizationShape() {
        Rejection why = Rejection::None;
        CPPUNIT_ASSERT(!auth::bearerToken(std::nullopt, why));
        CPPUNIT_ASSERT_EQUAL(name(Rejection::MissingHeader), name(why));
        const std::string tooLong = "Bearer " + std::string(auth::kMaxTokenLength + 1, 'a');
        for (const std::string& header : std::vector<std::string>{
                 "", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearerabc.def.ghi", "Token abc",
                 "Bearer a.b.c d.e.f", "Bearer a.b.c, Bearer d.e.f", "Bearer a.b.c;", "Bearer a\"b",
                 tooLong}) {
            CPPUNIT_ASSERT_MESSAGE(header, !auth::bearerToken(header, why));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(header, name(Rejection::MalformedHeader), name(why));
        }
    }

    void acceptsAValidToken() {
        CPPUNIT_ASSERT_EQUAL(name(Rejection::None), name(check(validToken())));
    }

    void expiryHonoursTheClockSkew() {
        auto token = validToken();
        token.setExpiration(secondsFromNow(-59));
        CPPUNIT_ASSERT_EQUAL(name(Rejection::None), name(check(token)));
        token.setExpiration(secondsFromNow(-60));
        CPPUNIT_ASSERT_EQUAL(name(Rejection::Expired), name(check(token)));
        token.payload().remove("exp");
        CPPUNIT_ASSERT_EQUAL(name(Rejection::Expired), name(check(token)));
    }

    void notBeforeAndIssuedAtHonourTheClockSkew() {
        auto token = validToken();
        token.setNotBefore(secondsFromNow(60));
        CPPUNIT_ASSERT_EQUAL(name(Rejection::None), name(check(token)));
        token.setNotBefore(secondsFromNow(61));
        CPPUNIT_ASSERT_EQUAL(name(Rejection::NotYetValid), name(check(token)));
        token = validToken();
        token.setIssuedAt(secondsFromNow(120));
        CPPUNIT_ASSERT_EQUAL(name(Rejection::NotYetValid), name(check(token)));
    }

    void checksIssuerAudienceSubjectAndId() {
        auto token = validToken();
        token.setIssuer("someone-else");
        CPPUNIT_ASSERT_EQUAL(name(Rejection::WrongIssuer), name(check(token)));
        token = validToken();
        token.payload().remove("iss");
        CPPUNIT_ASSERT_EQUAL(name(Rejection::WrongIssuer), name(check(token)));
        token = validToken();
        token.setAudience("another-app");
        CPPUNIT_ASSERT_EQUAL(name(Rejection::WrongAudience), name(check(token)));
        token.setAudience(std::vector<std::string>{"another-app", "tim-scim"});
        CPPUNIT_ASSERT_EQUAL(name(Rejection::None), name(check(token)));
        token = validToken();
        token.setSubject("admin");
        CPPUNIT_ASSERT_EQUAL(name(Rejection::WrongSubject), name(check(token)));
        token = validToken();
        token.setSubject("SYS.SCIM");
        CPPUNIT_ASSERT_EQUAL(name(Rejection::WrongSubject), name(check(token)));
        token = validToken();
        token.payload().remove("jti");
        CPPUNIT_ASSERT_EQUAL(name(Rejection::MissingId), name(check(token)));
    }

    void refusesClaimsOfTheWrongType() {
        auto token = validToken();
        token.payload().set("exp", std::string("9999999999"));
        CPPUNIT_ASSERT_EQUAL(name(Rejection::Expired), name(check(token)));
        token = validToken();
        token.payload().set("nbf", std::string("0"));
        CPPUNIT_ASSERT_EQUAL(name(Rejection::NotYetValid), name(check(token)));
        token = validToken();
        token.payload().set("sub", 42);
        CPPUNIT_ASSERT_EQUAL(name(Rejection::WrongSubject), name(check(token)));
        token = validToken();
        token.payload().set("jti", 7);
        CPPUNIT_ASSERT_EQUAL(name(Rejection::MissingId), name(check(token)));
    }

    // A label per reason, from a fixed set of Prometheus-safe names: the metrics tell causes
    // apart, and nothing a client sends becomes a label.
    void everyRejectionHasItsOwnMetricsLabel() {
        std::set<std::string> labels;
        for (int r = static_cast<int>(Rejection::None);
             r <= static_cast<int>(Rejection::SubjectDisabled); ++r) {
            const std::string label = auth::labelOf(static_cast<Rejection>(r));
            CPPUNIT_ASSERT_MESSAGE(
                label, !label.empty() && label.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") ==
                                             std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(label, labels.insert(label).second);
        }
        CPPUNIT_ASSERT_EQUAL(std::string("bad_signature"),
                             std::string(auth::labelOf(Rejection::BadSignature)));
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(TokenCheckTest, "TokenCheckTest");
