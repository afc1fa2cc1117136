// The strict reading of a compact JWT and the HMAC behind its verification.
#include "auth/CompactJwt.h"

#include <Poco/DigestEngine.h>
#include <Poco/Exception.h>

#include <cppunit/extensions/HelperMacros.h>

namespace {

std::string hex(const std::vector<unsigned char>& bytes) {
    return Poco::DigestEngine::digestToHex(bytes);
}

std::vector<unsigned char> bytes(const std::string& text) {
    return {text.begin(), text.end()};
}

}  // namespace

class CompactJwtTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(CompactJwtTest);
    CPPUNIT_TEST(hmacMatchesRfc4231);
    CPPUNIT_TEST(splitsTheCanonicalForm);
    CPPUNIT_TEST(refusesEveryOtherSpelling);
    CPPUNIT_TEST(comparesWholeValues);
    CPPUNIT_TEST_SUITE_END();

  public:
    void hmacMatchesRfc4231() {
        // RFC 4231, test case 2.
        const std::string key = "Jefe";
        const std::string data = "what do ya want for nothing?";
        CPPUNIT_ASSERT_EQUAL(
            std::string("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
            hex(auth::hmac("HS256", key, data)));
        CPPUNIT_ASSERT_EQUAL(std::string("af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec373"
                                         "6322445e8e2240ca5e69e2c78b3239ecfab21649"),
                             hex(auth::hmac("HS384", key, data)));
        CPPUNIT_ASSERT_EQUAL(std::string("164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7"
                                         "ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b"
                                         "636e070a38bce737"),
                             hex(auth::hmac("HS512", key, data)));
        CPPUNIT_ASSERT_THROW(auth::hmac("none", key, data), Poco::InvalidArgumentException);
    }

    void splitsTheCanonicalForm() {
        // "{}" . "{}" . 0x01 0x02
        const auto jwt = auth::splitCanonical("e30.e30.AQI");
        CPPUNIT_ASSERT(jwt.has_value());
        CPPUNIT_ASSERT_EQUAL(std::string("e30.e30"), jwt->signingInput);
        CPPUNIT_ASSERT(jwt->signature == (std::vector<unsigned char>{1, 2}));
    }

    void refusesEveryOtherSpelling() {
        for (const char* jwt : {"e30.e30.AQI=",     // padding
                                "e30.e30.AQJ",      // a spare bit set
                                "e30.e30.AQI.",     // a fourth, empty part
                                "e30.e30.AQI.e30",  // a fourth part
                                "e30.e30",          // two parts
                                "e30.e30.",         // no signature
                                ".e30.AQI",         // no header
                                "e30=.e30.AQI",     // a padded header
                                "e30.e3.AQI",       // spare bits set in the payload
                                "e30.e30.A",        // 1 mod 4 characters
                                "e30.e+0.AQI",      // standard base64, not base64url
                                "e30.e30.AQ I"}) {
            CPPUNIT_ASSERT_MESSAGE(jwt, !auth::splitCanonical(jwt).has_value());
        }
    }

    void comparesWholeValues() {
        CPPUNIT_ASSERT(auth::constantTimeEquals(bytes("abc"), bytes("abc")));
        CPPUNIT_ASSERT(!auth::constantTimeEquals(bytes("abc"), bytes("abd")));
        CPPUNIT_ASSERT(!auth::constantTimeEquals(bytes("abc"), bytes("ab")));
        CPPUNIT_ASSERT(!auth::constantTimeEquals(bytes(""), bytes("a")));
        CPPUNIT_ASSERT(auth::constantTimeEquals(bytes(""), bytes("")));
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(CompactJwtTest, "CompactJwtTest");
