// In-memory filter evaluation against one user, as a table.
#include "scim/ScimError.h"
#include "scim/filter/Evaluator.h"
#include "scim/filter/FilterParser.h"

#include <Poco/JSON/Parser.h>

#include <cppunit/extensions/HelperMacros.h>

namespace {

const char* kUser = R"({
  "schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],
  "id":"2819c223","externalId":"Ext-1","userName":"Bjensen@Example.com","active":true,
  "name":{"givenName":"Barbara","familyName":"Jensen"},
  "title":"Tour Guide",
  "emails":[{"value":"bjensen@example.com","type":"work","primary":true},
            {"value":"babs@jensen.org","type":"home"}],
  "phoneNumbers":[{"value":"555-1234","type":"mobile"}],
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Tour Operations","manager":{"value":"26118915"}},
  "urn:ietf:params:scim:schemas:extension:tim:1.0:User":{"email":"Barbara@Example.com"},
  "meta":{"created":"2026-01-01T00:00:00Z","lastModified":"2026-06-01T00:00:00Z"}
})";

bool eval(const std::string& filter) {
    static const auto user = Poco::JSON::Parser().parse(kUser).extract<Poco::JSON::Object::Ptr>();
    return scim::filter::matches(scim::filter::parseFilter(filter), user,
                                 scim::userResourceSchema());
}

}  // namespace

class FilterEvaluatorTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(FilterEvaluatorTest);
    CPPUNIT_TEST(evaluatesTheTable);
    CPPUNIT_TEST(unknownAttributesAreInvalidFilters);
    CPPUNIT_TEST_SUITE_END();

  public:
    void evaluatesTheTable() {
        const std::pair<const char*, bool> cases[] = {
            {R"(userName eq "bjensen@example.com")", true},  // caseExact=false
            {R"(USERNAME EQ "BJENSEN@EXAMPLE.COM")", true},
            {R"(userName eq "someone")", false},
            {R"(externalId eq "Ext-1")", true},
            {R"(externalId eq "ext-1")", false},  // caseExact
            {R"(id eq "2819c223")", true},
            {R"(userName sw "bjen")", true},
            {R"(userName ew ".COM")", true},
            {R"(userName co "@example")", true},
            {R"(userName ne "x")", true},
            {R"(title pr)", true},
            {R"(nickName pr)", false},
            {R"(nickName ne "x")", true},
            {R"(nickName eq null)", true},
            {R"(title eq null)", false},
            {"active eq true", true},
            {"active eq false", false},
            {R"(name.familyName eq "jensen")", true},
            {R"(emails[type eq "work"].value eq "BJENSEN@example.com")", true},
            {R"(emails[type eq "home"].value eq "bjensen@example.com")", false},
            {R"(emails[type eq "work" and value co "@example.com"])", true},
            {R"(emails[type eq "work" and primary eq true])", true},
            {R"(emails[type eq "home" and primary eq true])", false},
            {R"(emails.value co "jensen.org")", true},
            {R"(emails co "jensen.org")", true},
            {R"(phoneNumbers[type eq "mobile"].value eq "555-1234")", true},
            {R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "tour operations")",
             true},
            {R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "26118915")",
             true},
            {R"(id eq "2819c223" and manager eq "26118915")", true},  // Entra's legacy form
            {R"(urn:ietf:params:scim:schemas:extension:tim:1.0:User:email eq "barbara@example.com")",
             true},
            {R"(meta.lastModified gt "2026-03-01T00:00:00Z")", true},
            {R"(meta.created gt "2026-03-01T00:00:00Z")", false},
            {R"(title pr and (userName eq "x" or active eq true))", true},
            {R"(not (userName eq "bjensen@example.com"))", false},
            {R"(userName eq "x" or not (title pr))", false},
        };
        for (const auto& c : cases) {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.first, c.second, eval(c.first));
        }
    }

    void unknownAttributesAreInvalidFilters() {
        for (const char* filter :
             {R"(shoeSize eq "9")", R"(name.middle eq "x")", R"(emails[kind eq "work"])",
              R"(userName[value eq "x"])", R"(urn:example:nope:attr eq "x")"}) {
            try {
                eval(filter);
                CPPUNIT_FAIL(std::string("accepted: ") + filter);
            } catch (const scim::ScimError& e) {
                CPPUNIT_ASSERT_EQUAL_MESSAGE(filter, std::string("invalidFilter"), e.scimType());
            }
            CPPUNIT_ASSERT_THROW_MESSAGE(filter,
                                         scim::filter::validate(scim::filter::parseFilter(filter),
                                                                scim::userResourceSchema()),
                                         scim::ScimError);
        }
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(FilterEvaluatorTest, "FilterEvaluatorTest");
