// The filter grammar of RFC 7644 §3.4.2.2, plus the forms Entra sends, as tables.
#include "scim/ScimError.h"
#include "scim/filter/FilterParser.h"

#include <cppunit/extensions/HelperMacros.h>

using scim::filter::describe;
using scim::filter::parseFilter;

class FilterParserTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(FilterParserTest);
    CPPUNIT_TEST(parsesValidFilters);
    CPPUNIT_TEST(rejectsInvalidFiltersAsInvalidFilter);
    CPPUNIT_TEST(splitsUrnQualifiedPaths);
    CPPUNIT_TEST(enforcesLimits);
    CPPUNIT_TEST_SUITE_END();

  public:
    void parsesValidFilters() {
        const std::pair<const char*, const char*> cases[] = {
            // Entra's own
            {R"(userName eq "7d420df3-9995-4831-a406-ecf8166f5f6a")",
             R"((userName eq "7d420df3-9995-4831-a406-ecf8166f5f6a"))"},
            {"externalId eq jyoung", R"((externalId eq "jyoung"))"},
            {R"(emails[type eq "work"].value eq "a@contoso.com")",
             R"(emails[((type eq "work") and (value eq "a@contoso.com"))])"},
            {R"(id eq "1" and manager eq "2")", R"(((id eq "1") and (manager eq "2")))"},
            {R"(displayName eq "role.workflow-designer")",
             R"((displayName eq "role.workflow-designer"))"},
            // operators, any case
            {R"(userName Eq "a")", R"((userName eq "a"))"},
            {R"(title pr)", R"((title pr))"},
            {R"(title PR and userType eq "Employee")",
             R"(((title pr) and (userType eq "Employee")))"},
            {R"(userName co "x")", R"((userName co "x"))"},
            {R"(userName sw "J")", R"((userName sw "J"))"},
            {R"(userName ew "m")", R"((userName ew "m"))"},
            {R"(userName ne "m")", R"((userName ne "m"))"},
            {R"(meta.lastModified gt "2011-05-13T04:42:34Z")",
             R"((meta.lastModified gt "2011-05-13T04:42:34Z"))"},
            {R"(meta.lastModified ge "2011-05-13T04:42:34Z")",
             R"((meta.lastModified ge "2011-05-13T04:42:34Z"))"},
            {"x lt 5", "(x lt 5)"},
            {"x le -1.5e3", "(x le -1.5e3)"},
            // values
            {"active eq true", "(active eq true)"},
            {"active eq False", "(active eq false)"},
            {"manager eq null", "(manager eq null)"},
            {R"(userName eq "say \"hi\" \\ \u00e9")", "(userName eq \"say \"hi\" \\ \xc3\xa9\")"},
            {R"(userName eq "")", R"((userName eq ""))"},
            {R"(userName eq "a b  c")", R"((userName eq "a b  c"))"},
            // precedence: not > and > or
            {"a eq 1 or b eq 2 and c eq 3", "((a eq 1) or ((b eq 2) and (c eq 3)))"},
            {"(a eq 1 or b eq 2) and c eq 3", "(((a eq 1) or (b eq 2)) and (c eq 3))"},
            {"a eq 1 and b eq 2 and c eq 3", "(((a eq 1) and (b eq 2)) and (c eq 3))"},
            {"not (a eq 1) and b pr", "(not(a eq 1) and (b pr))"},
            {"NOT(a eq 1 OR b eq 2)", "not((a eq 1) or (b eq 2))"},
            {"((a eq 1))", "(a eq 1)"},
            // value paths
            {R"(emails[type eq "work" and value co "@example.com"])",
             R"(emails[((type eq "work") and (value co "@example.com"))])"},
            {R"(userType eq "Employee" and emails[type eq "work" or primary eq true])",
             R"(((userType eq "Employee") and emails[((type eq "work") or (primary eq true))]))"},
            {R"(members[value eq "u1"])", R"(members[(value eq "u1")])"},
            {R"(emails[not (type eq "home")])", R"(emails[not(type eq "home")])"},
            // paths
            {R"(name.familyName co "O'Malley")", R"((name.familyName co "O'Malley"))"},
            {R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "42")",
             R"((urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "42"))"},
            {R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "m")",
             R"((urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "m"))"},
            {R"(members.$ref pr)", R"((members.$ref pr))"},
            {"  userName   eq   \"a\"  ", R"((userName eq "a"))"},
        };
        for (const auto& c : cases) {
            try {
                CPPUNIT_ASSERT_EQUAL_MESSAGE(c.first, std::string(c.second),
                                             describe(parseFilter(c.first)));
            } catch (const scim::ScimError& e) {
                CPPUNIT_FAIL(std::string(c.first) + " was refused: " + e.detail());
            }
        }
    }

    void rejectsInvalidFiltersAsInvalidFilter() {
        const char* cases[] = {
            "",
            "   ",
            "userName",
            "userName eq",
            "userName equals \"a\"",
            "userName eq \"unterminated",
            "userName eq \"bad \\q escape\"",
            "userName eq \"a\" and",
            "userName eq \"a\" or or b eq 1",
            "and userName eq \"a\"",
            "(userName eq \"a\"",
            "userName eq \"a\")",
            "emails[type eq \"work\"",
            "emails[type eq \"work\"].value",
            "emails[type eq \"work\"].value eq",
            "emails.value[type eq \"work\"]",
            "emails[]",
            "1userName eq \"a\"",
            "user name eq \"a\"",
            "userName eq \"a\" extra",
            "userName eq (\"a\")",
            "userName eq [a]",
            "user*Name eq \"a\"",
            "userName eq \"a\" and not b eq 1",
            "\"userName\" eq \"a\"",
            "name.given.family eq \"a\"",
            "userName eq \"\x01\"",
            "userName eq \"a\\u12\"",
        };
        for (const char* text : cases) {
            try {
                parseFilter(text);
                CPPUNIT_FAIL(std::string("accepted: ") + text);
            } catch (const scim::ScimError& e) {
                CPPUNIT_ASSERT_EQUAL_MESSAGE(text, 400, e.status());
                CPPUNIT_ASSERT_EQUAL_MESSAGE(text, std::string("invalidFilter"), e.scimType());
            }
        }
    }

    void splitsUrnQualifiedPaths() {
        const auto path = scim::filter::parseAttrPath(
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value");
        CPPUNIT_ASSERT_EQUAL(
            std::string("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"), path.schema);
        CPPUNIT_ASSERT_EQUAL(std::string("manager"), path.attribute);
        CPPUNIT_ASSERT_EQUAL(std::string("value"), path.subAttribute);
        const auto plain = scim::filter::parseAttrPath("name.givenName");
        CPPUNIT_ASSERT(plain.schema.empty());
        CPPUNIT_ASSERT_EQUAL(std::string("givenName"), plain.subAttribute);
        CPPUNIT_ASSERT_THROW(scim::filter::parseAttrPath("a b", "invalidPath"), scim::ScimError);
    }

    void enforcesLimits() {
        std::string deep;
        for (int i = 0; i < 40; ++i) {
            deep += "(";
        }
        deep += "a eq 1";
        for (int i = 0; i < 40; ++i) {
            deep += ")";
        }
        CPPUNIT_ASSERT_THROW(parseFilter(deep), scim::ScimError);
        std::string shallow = "((((a eq 1))))";
        CPPUNIT_ASSERT_EQUAL(std::string("(a eq 1)"), describe(parseFilter(shallow)));
        CPPUNIT_ASSERT_THROW(parseFilter("userName eq \"" + std::string(9000, 'a') + "\""),
                             scim::ScimError);
        std::string longOr = "a eq 1";
        for (int i = 0; i < 200; ++i) {
            longOr += " or a eq 1";  // long but flat: fine
        }
        CPPUNIT_ASSERT(parseFilter(longOr) != nullptr);
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(FilterParserTest, "FilterParserTest");
