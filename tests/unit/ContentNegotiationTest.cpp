// The media type of a response from Accept (RFC 7644 §3.8: "Service providers MUST support the
// Accept header "Accept: application/scim+json" and SHOULD support the header "Accept:
// application/json""), with RFC 9110's ranges and weights.
#include "api/ContentNegotiation.h"

#include <cppunit/extensions/HelperMacros.h>

class ContentNegotiationTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ContentNegotiationTest);
    CPPUNIT_TEST(choosesByRangeAndWeight);
    CPPUNIT_TEST_SUITE_END();

  public:
    void choosesByRangeAndWeight() {
        const std::string scim = "application/scim+json";
        const std::string json = "application/json";
        const std::vector<std::pair<std::optional<std::string>, std::optional<std::string>>> cases =
            {
                {std::nullopt, scim},
                {std::string(""), scim},
                {std::string("*/*"), scim},
                {std::string("application/*"), scim},
                {std::string("application/scim+json"), scim},
                {std::string("application/json"), json},
                {std::string("Application/JSON"), json},
                {std::string("application/json, application/scim+json"), scim},  // a tie
                {std::string("application/json;q=0.9, application/scim+json;q=0.5"), json},
                {std::string("application/scim+json;q=0, */*"), json},
                {std::string("text/html, application/json; charset=utf-8"), json},
                {std::string("application/*;q=0.2, application/json;q=0.1"), scim},
                {std::string("text/html"), std::nullopt},
                {std::string("text/*, image/png"), std::nullopt},
                {std::string("*/*;q=0"), std::nullopt},
                {std::string("application/json;q=zero"), std::nullopt},
            };
        for (const auto& [accept, expected] : cases) {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(accept.value_or("(none)"), expected.value_or("406"),
                                         api::responseMediaType(accept).value_or("406"));
        }
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(ContentNegotiationTest, "ContentNegotiationTest");
