// jwtAccessTokenExpirationTimeScim: the duration syntax of the guide.
#include "auth/TokenLifetime.h"

#include <Poco/DateTime.h>
#include <Poco/Exception.h>

#include <cppunit/extensions/HelperMacros.h>

namespace {

Poco::Timestamp at(int year, int month, int day) {
    return Poco::DateTime(year, month, day, 12, 30, 15).timestamp();
}

}  // namespace

class TokenLifetimeTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(TokenLifetimeTest);
    CPPUNIT_TEST(parsesEveryUnit);
    CPPUNIT_TEST(rejectsEverythingElseNamingTheKey);
    CPPUNIT_TEST(addsDaysAndWeeksExactly);
    CPPUNIT_TEST(addsCalendarMonthsAndYears);
    CPPUNIT_TEST_SUITE_END();

  public:
    void parsesEveryUnit() {
        struct Case {
            const char* text;
            int amount;
            char unit;
        } cases[] = {{"30d", 30, 'd'}, {"2w", 2, 'w'},   {"6m", 6, 'm'},
                     {"1y", 1, 'y'},   {" 1Y ", 1, 'y'}, {"365d", 365, 'd'}};
        for (const auto& c : cases) {
            const auto lifetime = auth::TokenLifetime::parse(c.text);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.text, c.amount, lifetime.amount);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.text, c.unit, lifetime.unit);
        }
    }

    void rejectsEverythingElseNamingTheKey() {
        for (const char* text : {"", "y", "1", "0d", "-1d", "1h", "1.5y", "y1", "1 y", "1yy",
                                 "101y", "1201m", "36501d", "99999999d", "1d2", "+1d"}) {
            try {
                auth::TokenLifetime::parse(text);
                CPPUNIT_FAIL(std::string("accepted \"") + text + "\"");
            } catch (const Poco::InvalidArgumentException& e) {
                CPPUNIT_ASSERT_MESSAGE(
                    e.message(),
                    e.message().find("jwtAccessTokenExpirationTimeScim") != std::string::npos);
            }
        }
    }

    void addsDaysAndWeeksExactly() {
        CPPUNIT_ASSERT(auth::TokenLifetime::parse("30d").after(at(2026, 1, 1)) == at(2026, 1, 31));
        CPPUNIT_ASSERT(auth::TokenLifetime::parse("2w").after(at(2026, 2, 20)) == at(2026, 3, 6));
    }

    void addsCalendarMonthsAndYears() {
        CPPUNIT_ASSERT(auth::TokenLifetime::parse("1m").after(at(2026, 1, 31)) == at(2026, 2, 28));
        CPPUNIT_ASSERT(auth::TokenLifetime::parse("1m").after(at(2028, 1, 31)) == at(2028, 2, 29));
        CPPUNIT_ASSERT(auth::TokenLifetime::parse("6m").after(at(2026, 11, 28)) == at(2027, 5, 28));
        CPPUNIT_ASSERT(auth::TokenLifetime::parse("1y").after(at(2028, 2, 29)) == at(2029, 2, 28));
        CPPUNIT_ASSERT(auth::TokenLifetime::parse("100y").after(at(2026, 11, 28)) ==
                       at(2126, 11, 28));
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(TokenLifetimeTest, "TokenLifetimeTest");
