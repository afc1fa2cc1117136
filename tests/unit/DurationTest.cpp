// The duration syntax of the guide (jwtAccessTokenExpirationTimeScim, purge retentions).
#include "tim/Duration.h"

#include <Poco/DateTime.h>
#include <Poco/Exception.h>

#include <cppunit/extensions/HelperMacros.h>

namespace {

Poco::Timestamp at(int year, int month, int day) {
    return Poco::DateTime(year, month, day, 12, 30, 15).timestamp();
}

}  // namespace

class DurationTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(DurationTest);
    CPPUNIT_TEST(parsesEveryUnit);
    CPPUNIT_TEST(rejectsEverythingElseNamingTheKey);
    CPPUNIT_TEST(addsDaysAndWeeksExactly);
    CPPUNIT_TEST(addsCalendarMonthsAndYears);
    CPPUNIT_TEST(subtractsForRetentions);
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
            const auto lifetime = tim::Duration::parse(c.text, "jwtAccessTokenExpirationTimeScim");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.text, c.amount, lifetime.amount);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.text, c.unit, lifetime.unit);
        }
    }

    void rejectsEverythingElseNamingTheKey() {
        for (const char* text : {"", "y", "1", "0d", "-1d", "1h", "1.5y", "y1", "1 y", "1yy",
                                 "101y", "1201m", "36501d", "99999999d", "1d2", "+1d"}) {
            try {
                tim::Duration::parse(text, "jwtAccessTokenExpirationTimeScim");
                CPPUNIT_FAIL(std::string("accepted \"") + text + "\"");
            } catch (const Poco::InvalidArgumentException& e) {
                CPPUNIT_ASSERT_MESSAGE(
                    e.message(),
                    e.message().find("jwtAccessTokenExpirationTimeScim") != std::string::npos);
            }
        }
    }

    void addsDaysAndWeeksExactly() {
        CPPUNIT_ASSERT(
            tim::Duration::parse("30d", "jwtAccessTokenExpirationTimeScim").after(at(2026, 1, 1)) ==
            at(2026, 1, 31));
        CPPUNIT_ASSERT(
            tim::Duration::parse("2w", "jwtAccessTokenExpirationTimeScim").after(at(2026, 2, 20)) ==
            at(2026, 3, 6));
    }

    void addsCalendarMonthsAndYears() {
        CPPUNIT_ASSERT(
            tim::Duration::parse("1m", "jwtAccessTokenExpirationTimeScim").after(at(2026, 1, 31)) ==
            at(2026, 2, 28));
        CPPUNIT_ASSERT(
            tim::Duration::parse("1m", "jwtAccessTokenExpirationTimeScim").after(at(2028, 1, 31)) ==
            at(2028, 2, 29));
        CPPUNIT_ASSERT(tim::Duration::parse("6m", "jwtAccessTokenExpirationTimeScim")
                           .after(at(2026, 11, 28)) == at(2027, 5, 28));
        CPPUNIT_ASSERT(
            tim::Duration::parse("1y", "jwtAccessTokenExpirationTimeScim").after(at(2028, 2, 29)) ==
            at(2029, 2, 28));
        CPPUNIT_ASSERT(tim::Duration::parse("100y", "jwtAccessTokenExpirationTimeScim")
                           .after(at(2026, 11, 28)) == at(2126, 11, 28));
    }

    void subtractsForRetentions() {
        const auto key = "scim.purge.deletedRetention";
        CPPUNIT_ASSERT(tim::Duration::parse("30d", key).before(at(2026, 1, 31)) == at(2026, 1, 1));
        CPPUNIT_ASSERT(tim::Duration::parse("1m", key).before(at(2026, 3, 31)) == at(2026, 2, 28));
        CPPUNIT_ASSERT(tim::Duration::parse("1y", key).before(at(2028, 2, 29)) == at(2027, 2, 28));
        CPPUNIT_ASSERT(tim::Duration::parse("13m", key).before(at(2026, 1, 15)) ==
                       at(2024, 12, 15));
        try {
            tim::Duration::parse("soon", key);
            CPPUNIT_FAIL("accepted soon");
        } catch (const Poco::InvalidArgumentException& e) {
            CPPUNIT_ASSERT(e.message().find(key) != std::string::npos);
        }
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(DurationTest, "DurationTest");
