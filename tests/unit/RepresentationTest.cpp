// Normalising what clients send (coercion, clearing, extensions, Entra's shapes) and
// projecting what they get back.
#include "scim/GroupSchemas.h"
#include "scim/Projection.h"
#include "scim/Representation.h"
#include "scim/ScimError.h"
#include "scim/Values.h"

#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <cppunit/extensions/HelperMacros.h>

#include <sstream>

namespace {

using Poco::JSON::Object;

const std::string kEnterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

Object::Ptr parse(const std::string& text) {
    return Poco::JSON::Parser().parse(text).extract<Object::Ptr>();
}

std::string str(const Poco::Dynamic::Var& value) {
    std::ostringstream out;
    Poco::JSON::Stringifier::condense(value, out);
    return out.str();
}

Object::Ptr normalise(const std::string& body) {
    return scim::normaliseResource(parse(body), scim::userResourceSchema()).doc;
}

void assertRefused(const std::string& body, const std::string& scimType) {
    try {
        normalise(body);
        CPPUNIT_FAIL("accepted: " + body);
    } catch (const scim::ScimError& e) {
        CPPUNIT_ASSERT_EQUAL_MESSAGE(body, 400, e.status());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(body, scimType, e.scimType());
    }
}

}  // namespace

class RepresentationTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RepresentationTest);
    CPPUNIT_TEST(coercesBooleans);
    CPPUNIT_TEST(normalisesEntrasCreateBody);
    CPPUNIT_TEST(canonicalisesNamesAndKeepsUnknownAttributes);
    CPPUNIT_TEST(nullAndEmptyClear);
    CPPUNIT_TEST(acceptsEveryManagerShape);
    CPPUNIT_TEST(urnQualifiedTopLevelKeysLandInTheirExtension);
    CPPUNIT_TEST(refusesBadInput);
    CPPUNIT_TEST(passwordNeverEntersTheDocument);
    CPPUNIT_TEST(severalValuesOfOneTypeAreAccepted);
    CPPUNIT_TEST(everyNeverReturnedAttributeIsASecret);
    CPPUNIT_TEST(rendersSchemasIdAndMeta);
    CPPUNIT_TEST(projectsAttributes);
    CPPUNIT_TEST(projectsExcludedAttributes);
    CPPUNIT_TEST(projectsFilteredAttributePaths);
    CPPUNIT_TEST(refusesFiltersAProjectionCannotApply);
    CPPUNIT_TEST_SUITE_END();

  public:
    void coercesBooleans() {
        using Poco::Dynamic::Var;
        CPPUNIT_ASSERT(*scim::coerceBoolean(Var(true)));
        CPPUNIT_ASSERT(!*scim::coerceBoolean(Var(std::string("False"))));
        CPPUNIT_ASSERT(*scim::coerceBoolean(Var(std::string("true"))));
        CPPUNIT_ASSERT(*scim::coerceBoolean(Var(std::string("TRUE"))));
        CPPUNIT_ASSERT(!scim::coerceBoolean(Var(std::string("yes"))));
        CPPUNIT_ASSERT(!scim::coerceBoolean(Var(1)));
    }

    void normalisesEntrasCreateBody() {
        const auto doc = normalise(
            R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
                "externalId":"0a21f0f2","userName":"Test_User","active":"True",
                "emails":[{"primary":"True","type":"work","value":"t@testuser.com"}],
                "meta":{"resourceType":"User"},
                "name":{"formatted":"givenName familyName","familyName":"familyName","givenName":"givenName"},
                "roles":[]})");
        CPPUNIT_ASSERT_EQUAL(
            std::string(
                R"({"active":true,"emails":[{"primary":true,"type":"work","value":"t@testuser.com"}],)"
                R"("externalId":"0a21f0f2","name":{"familyName":"familyName","formatted":"givenName familyName","givenName":"givenName"},)"
                R"("userName":"Test_User"})"),
            str(doc));
    }

    void canonicalisesNamesAndKeepsUnknownAttributes() {
        const auto doc = normalise(
            R"({"USERNAME":"a","Name":{"GivenName":"g","nickname2":"kept"},"favouriteColour":"teal",
                "urn:example:custom:2.0:User":{"tag":"x"}})");
        CPPUNIT_ASSERT_EQUAL(std::string("a"), doc->getValue<std::string>("userName"));
        CPPUNIT_ASSERT_EQUAL(std::string("g"),
                             doc->getObject("name")->getValue<std::string>("givenName"));
        CPPUNIT_ASSERT_EQUAL(std::string("kept"),
                             doc->getObject("name")->getValue<std::string>("nickname2"));
        CPPUNIT_ASSERT_EQUAL(std::string("teal"), doc->getValue<std::string>("favouriteColour"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("x"),
            doc->getObject("urn:example:custom:2.0:User")->getValue<std::string>("tag"));
    }

    void nullAndEmptyClear() {
        const auto doc = normalise(
            R"({"userName":"a","title":"","nickName":null,"emails":[],"name":{"givenName":""}})");
        CPPUNIT_ASSERT(!doc->has("title"));
        CPPUNIT_ASSERT(!doc->has("nickName"));
        CPPUNIT_ASSERT(!doc->has("emails"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), doc->getObject("name")->size());
    }

    void acceptsEveryManagerShape() {
        for (const std::string manager :
             {R"("m1")", R"({"value":"m1"})", R"([{"value":"m1","$ref":"../Users/m1"}])"}) {
            const auto doc = normalise(R"({"userName":"a",")" + kEnterprise + R"(":{"manager":)" +
                                       manager + "}}");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(
                manager, std::string("m1"),
                doc->getObject(kEnterprise)->getObject("manager")->getValue<std::string>("value"));
        }
        const auto cleared =
            normalise(R"({"userName":"a",")" + kEnterprise + R"(":{"manager":""}})");
        CPPUNIT_ASSERT(!cleared->has(kEnterprise));
    }

    void urnQualifiedTopLevelKeysLandInTheirExtension() {
        const auto doc = normalise(
            R"({"userName":"a",")" + kEnterprise +
            R"(:department":"Sales",)"
            R"("urn:ietf:params:scim:schemas:extension:tim:2.0:User":{"vendor":"Entra","roles":["ignored"]}})");
        CPPUNIT_ASSERT_EQUAL(std::string("Sales"),
                             doc->getObject(kEnterprise)->getValue<std::string>("department"));
        const auto tim = doc->getObject("urn:ietf:params:scim:schemas:extension:tim:2.0:User");
        CPPUNIT_ASSERT_EQUAL(std::string("Entra"), tim->getValue<std::string>("vendor"));
        CPPUNIT_ASSERT(!tim->has("roles"));  // readOnly
    }

    void refusesBadInput() {
        assertRefused(R"({"name":{"givenName":"g"}})", "invalidValue");  // no userName
        assertRefused(R"({"userName":""})", "invalidValue");
        assertRefused(R"({"userName":42})", "invalidValue");
        assertRefused(R"({"userName":"a","active":"maybe"})", "invalidValue");
        assertRefused(R"({"userName":"a","name":"flat"})", "invalidValue");
        for (const char* control : {"\\u0000", "\\u001f", "\\n", "\\u007f"}) {
            const std::string text = std::string("x") + control + "y";
            assertRefused(R"({"userName":")" + text + "\"}", "invalidValue");
            assertRefused(R"({"userName":"a","externalId":")" + text + "\"}", "invalidValue");
            assertRefused(R"({"userName":"a","displayName":")" + text + "\"}", "invalidValue");
        }
        assertRefused(
            R"({"userName":"a","emails":[{"primary":true,"value":"1"},{"primary":"True","value":"2"}]})",
            "invalidValue");
        assertRefused(R"({"userName":"a","schemas":"urn:ietf:params:scim:schemas:core:2.0:User"})",
                      "invalidSyntax");
        assertRefused(R"({"userName":"a",")" + kEnterprise + R"(":"flat"})", "invalidSyntax");
        CPPUNIT_ASSERT_THROW(scim::normaliseResource(nullptr, scim::userResourceSchema()),
                             scim::ScimError);
    }

    void passwordNeverEntersTheDocument() {
        const auto result = scim::normaliseResource(
            parse(R"({"userName":"a","password":"S3cret!"})"), scim::userResourceSchema());
        CPPUNIT_ASSERT(!result.doc->has("password"));
        CPPUNIT_ASSERT_EQUAL(std::string("S3cret!"), *result.password);
        // Core attributes under their URN (RFC 7644 §3.10), in any case of the URN.
        for (
            const char* body :
            {R"({"userName":"a","urn:ietf:params:scim:schemas:core:2.0:User:password":"S3cret!"})",
             R"({"userName":"a","urn:ietf:params:scim:schemas:core:2.0:User":{"password":"S3cret!"}})",
             R"({"URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER":{"userName":"a","password":"S3cret!"}})",
             R"({"urn:ietf:params:scim:schemas:core:2.0:User:userName":"a","urn:ietf:params:scim:schemas:core:2.0:User:password":"S3cret!"})"}) {
            const auto qualified = scim::normaliseResource(parse(body), scim::userResourceSchema());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(body, std::string(R"({"userName":"a"})"),
                                         str(qualified.doc));
            CPPUNIT_ASSERT_MESSAGE(body, qualified.password == std::string("S3cret!"));
            // What bounds the cost of hashing sees every form normalisation extracts.
            CPPUNIT_ASSERT_MESSAGE(body, scim::mentionsPassword(parse(body)));
        }
        // And every form a PATCH can carry one in; no body without one.
        for (
            const char* patch :
            {R"({"Operations":[{"op":"replace","path":"password","value":"x"}]})",
             R"({"Operations":[{"op":"Add","path":"PASSWORD","value":"x"}]})",
             R"({"Operations":[{"op":"replace","path":"urn:ietf:params:scim:schemas:core:2.0:User:password","value":"x"}]})",
             R"({"Operations":[{"op":"replace","value":{"active":true,"Password":"x"}}]})",
             R"({"Operations":[{"op":"replace","value":{"urn:ietf:params:scim:schemas:core:2.0:User":{"password":"x"}}}]})",
             R"({"Operations":[{"op":"replace","path":" password ","value":"x"}]})",
             R"({"Operations":[{"op":"replace","path":"urn:ietf:params:scim:schemas:core:2.0:User.password","value":"x"}]})",
             R"({"Operations":[{"op":"replace","value":{"urn:ietf:params:scim:schemas:core:2.0:User.password":"x"}}]})",
             R"({"Operations":[{"op":"replace","path":"password[value pr]","value":"x"}]})"}) {
            CPPUNIT_ASSERT_MESSAGE(patch, scim::mentionsPassword(parse(patch)));
        }
        for (const char* none :
             {R"({"userName":"password","displayName":"a password"})",
              R"({"Operations":[{"op":"replace","path":"displayName","value":"password"}]})",
              R"({"userName":"a","emails":[{"value":"password@x.example"}]})",
              R"({"Operations":[{"op":"replace","path":"oldpassword","value":"x"}]})"}) {
            CPPUNIT_ASSERT_MESSAGE(none, !scim::mentionsPassword(parse(none)));
        }
    }

    // normaliseResource takes writeOnly attributes out of the document (only their hash is
    // kept): that covers every attribute no answer may carry only while each is writeOnly.
    void everyNeverReturnedAttributeIsASecret() {
        std::size_t secrets = 0;
        for (const auto* schema : {&scim::userResourceSchema(), &scim::groupResourceSchema()}) {
            std::vector<const scim::SchemaDef*> all{&schema->core()};
            all.insert(all.end(), schema->extensions().begin(), schema->extensions().end());
            for (const auto* def : all) {
                for (const auto& attribute : def->attributes) {
                    if (attribute.returned == scim::Returned::Never) {
                        CPPUNIT_ASSERT_MESSAGE(attribute.name,
                                               attribute.mutability == scim::Mutability::WriteOnly);
                        ++secrets;
                    }
                }
            }
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), secrets);  // password
    }

    void severalValuesOfOneTypeAreAccepted() {
        const auto doc = normalise(
            R"({"userName":"a","emails":[{"type":"work","value":"1"},{"type":"Work","value":"2"},{"type":"work","value":"3","primary":true}]})");
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), doc->getArray("emails")->size());
    }

    void rendersSchemasIdAndMeta() {
        const auto doc = normalise(R"({"userName":"a",")" + kEnterprise +
                                   R"(":{"department":"D"},"urn:example:x":{"y":1}})");
        scim::Meta meta{"User", "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z", "http://h/Users/1",
                        "W/\"3\""};
        const auto resource = scim::renderResource(doc, "1", meta, scim::userResourceSchema());
        CPPUNIT_ASSERT_EQUAL(std::string("1"), resource->getValue<std::string>("id"));
        const auto schemas = resource->getArray("schemas");
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), schemas->size());
        CPPUNIT_ASSERT_EQUAL(std::string("urn:ietf:params:scim:schemas:core:2.0:User"),
                             schemas->getElement<std::string>(0));
        CPPUNIT_ASSERT_EQUAL(std::string("W/\"3\""),
                             resource->getObject("meta")->getValue<std::string>("version"));
    }

    void projectsAttributes() {
        const auto resource =
            parse(R"({"schemas":["s"],"id":"1","userName":"a","title":"t",
            "name":{"givenName":"g","familyName":"f"},"emails":[{"value":"e","type":"work"}],
            ")" + kEnterprise +
                  R"(":{"department":"D","organization":"O"},"meta":{"version":"v"}})");
        const auto& schema = scim::userResourceSchema();
        auto projected =
            scim::Projection::parse(
                "userName,name.givenName,emails.value," + kEnterprise + ":department", "", schema)
                .apply(resource, schema);
        CPPUNIT_ASSERT_EQUAL(
            std::string(
                R"({"emails":[{"value":"e"}],"id":"1","name":{"givenName":"g"},"schemas":["s"],)"
                R"("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"D"},"userName":"a"})"),
            str(projected));
        projected =
            scim::Projection::parse("USERNAME, " + kEnterprise, "", schema).apply(resource, schema);
        CPPUNIT_ASSERT(projected->has("userName") && projected->has(kEnterprise) &&
                       !projected->has("title"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), projected->getObject(kEnterprise)->size());
        // Core attributes under the core URN (RFC 7644 §3.10), in both lists.
        const std::string core = "urn:ietf:params:scim:schemas:core:2.0:User";
        projected =
            scim::Projection::parse(core + ":userName," + core + ":name.givenName", "", schema)
                .apply(resource, schema);
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"id":"1","name":{"givenName":"g"},"schemas":["s"],)"
                                         R"("userName":"a"})"),
                             str(projected));
        projected =
            scim::Projection::parse(
                "", core + ":title," + core + ":emails," + core + ":name.familyName", schema)
                .apply(resource, schema);
        CPPUNIT_ASSERT(!projected->has("title") && !projected->has("emails") &&
                       projected->has("userName") && projected->has(kEnterprise));
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"givenName":"g"})"),
                             str(projected->getObject("name")));
    }

    void projectsExcludedAttributes() {
        const auto resource = parse(
            R"({"schemas":["s"],"id":"1","userName":"a","title":"t","name":{"givenName":"g","familyName":"f"},
            ")" +
            kEnterprise + R"(":{"department":"D","organization":"O"}})");
        const auto& schema = scim::userResourceSchema();
        const auto projected =
            scim::Projection::parse("", "title,name.familyName,id," + kEnterprise + ":organization",
                                    schema)
                .apply(resource, schema);
        CPPUNIT_ASSERT(!projected->has("title"));
        CPPUNIT_ASSERT(projected->has("id"));
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"givenName":"g"})"),
                             str(projected->getObject("name")));
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"department":"D"})"),
                             str(projected->getObject(kEnterprise)));
        // The original is untouched.
        CPPUNIT_ASSERT(resource->has("title"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), resource->getObject("name")->size());
        CPPUNIT_ASSERT(!scim::Projection::parse("", "members", schema).includes("members"));
        CPPUNIT_ASSERT(scim::Projection::parse("", "", schema).includes("members"));
        CPPUNIT_ASSERT(!scim::Projection::parse("displayName", "", schema).includes("members"));
    }

    void projectsFilteredAttributePaths() {
        const auto resource = parse(
            R"({"schemas":["s"],"id":"1","userName":"a","emails":[{"value":"w1","type":"work"},)"
            R"({"value":"h","type":"home"},{"value":"w2","type":"work","primary":true}]})");
        const auto& schema = scim::userResourceSchema();
        const auto project = [&](const std::string& attributes, const std::string& excluded) {
            const auto projected =
                scim::Projection::parse(attributes, excluded, schema).apply(resource, schema);
            return projected->has("emails") ? str(projected->getArray("emails")) : "none";
        };
        CPPUNIT_ASSERT_EQUAL(
            std::string(
                R"([{"type":"work","value":"w1"},{"primary":true,"type":"work","value":"w2"}])"),
            project(R"(emails[type eq "work"])", ""));
        CPPUNIT_ASSERT_EQUAL(std::string(R"([{"value":"w1"},{"value":"w2"}])"),
                             project(R"(emails[type eq "WORK"].value)", ""));
        // Paths of one attribute are gathered: every type, and the value of the work ones.
        CPPUNIT_ASSERT_EQUAL(
            std::string(
                R"([{"type":"work","value":"w1"},{"type":"home"},{"type":"work","value":"w2"}])"),
            project(R"(emails.type,emails[type eq "work"].value)", ""));
        CPPUNIT_ASSERT_EQUAL(
            std::string(R"([{"type":"work","value":"w1"},{"type":"home","value":"h"},)"
                        R"({"primary":true,"type":"work","value":"w2"}])"),
            project(R"(emails[type eq "work"],emails)", ""));
        CPPUNIT_ASSERT_EQUAL(std::string("none"), project(R"(emails[type eq "other"])", ""));
        // A comma inside a filter's string is no separator.
        CPPUNIT_ASSERT_EQUAL(std::string("none"),
                             project(R"(emails[value eq "w1,h"],userName)", ""));
        CPPUNIT_ASSERT_EQUAL(std::string(R"([{"type":"home","value":"h"}])"),
                             project("", R"(emails[type eq "work"])"));
        CPPUNIT_ASSERT_EQUAL(
            std::string(
                R"([{"type":"work"},{"type":"home","value":"h"},{"primary":true,"type":"work"}])"),
            project("", R"(emails[type eq "work"].value)"));
        CPPUNIT_ASSERT_EQUAL(std::string("none"), project("", R"(emails[value pr])"));
        CPPUNIT_ASSERT_EQUAL(std::string(R"([{"type":"work"},{"type":"home"},{"type":"work"}])"),
                             project("", "emails.value,emails.primary"));
        // The resource given is never changed.
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), resource->getArray("emails")->size());
        CPPUNIT_ASSERT(resource->getArray("emails")->getObject(0)->has("value"));
        // A filtered exclusion of members still renders the others.
        CPPUNIT_ASSERT(
            scim::Projection::parse("", R"(members[type eq "Group"])", scim::groupResourceSchema())
                .includes("members"));
    }

    void refusesFiltersAProjectionCannotApply() {
        const auto& schema = scim::userResourceSchema();
        for (const std::string bad :
             {R"(userName[value eq "x"])", R"(name[givenName eq "x"])", R"(emails[nope eq "x"])",
              R"(emails[type eq "work")", R"(emails[type eq])", R"(emails[type eq "w"].value.x)",
              R"(emails[addresses[type eq "x"]])"}) {
            for (const bool excluded : {false, true}) {
                try {
                    scim::Projection::parse(excluded ? "" : bad, excluded ? bad : "", schema);
                    CPPUNIT_FAIL("accepted: " + bad);
                } catch (const scim::ScimError& e) {
                    CPPUNIT_ASSERT_EQUAL_MESSAGE(bad, 400, e.status());
                    CPPUNIT_ASSERT_EQUAL_MESSAGE(bad, std::string("invalidValue"), e.scimType());
                }
            }
        }
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(RepresentationTest, "RepresentationTest");
