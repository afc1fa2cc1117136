// The PATCH engine as a table: (document, operations) -> document or error, including the
// literal bodies Entra sends in its default mode and with aadOptscim062020.
#include "api/RequestLimits.h"
#include "scim/Patch.h"
#include "scim/ScimError.h"

#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <cppunit/extensions/HelperMacros.h>

#include <sstream>

namespace {

using Poco::JSON::Object;

const std::string kEnt = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

const std::string kUser = R"({"userName":"bjensen","externalId":"e1","active":true,
  "name":{"givenName":"Barbara","familyName":"Jensen"},
  "emails":[{"value":"b@x.com","type":"work","primary":true},{"value":"home@x.com","type":"home"}],
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Ops","manager":{"value":"m1"}}})";

Object::Ptr parse(const std::string& text) {
    return Poco::JSON::Parser().parse(text).extract<Object::Ptr>();
}

std::string str(const Poco::Dynamic::Var& v) {
    std::ostringstream out;
    Poco::JSON::Stringifier::condense(v, out);
    return out.str();
}

Object::Ptr patch(const std::string& operations, const std::string& doc = kUser) {
    const auto body =
        parse(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":)" +
              operations + "}");
    return scim::applyPatch(parse(doc),
                            scim::parsePatchRequest(body, api::RequestLimits().patchOperations),
                            scim::userResourceSchema())
        .doc;
}

std::string at(const Object::Ptr& doc, const std::string& key) {
    return doc->has(key) ? str(doc->get(key)) : "<absent>";
}

std::string ent(const Object::Ptr& doc, const std::string& key) {
    return doc->has(kEnt) ? at(doc->getObject(kEnt), key) : "<absent>";
}

void assertRefused(const std::string& operations, const std::string& scimType) {
    try {
        patch(operations);
        CPPUNIT_FAIL("accepted: " + operations);
    } catch (const scim::ScimError& e) {
        CPPUNIT_ASSERT_EQUAL_MESSAGE(operations + ": " + e.detail(), 400, e.status());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(operations + ": " + e.detail(), scimType, e.scimType());
    }
}

}  // namespace

class PatchTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PatchTest);
    CPPUNIT_TEST(entraDefaultModeUpdate);
    CPPUNIT_TEST(entraFlagModePathlessReplace);
    CPPUNIT_TEST(disableAndEnableInBothModes);
    CPPUNIT_TEST(addOnSingleValuedReplaces);
    CPPUNIT_TEST(valuePathThatMatchesNothingCreatesTheElement);
    CPPUNIT_TEST(multiValuedAddMergesAndRemoveByValueRemovesOnlyThose);
    CPPUNIT_TEST(everyManagerShape);
    CPPUNIT_TEST(clearing);
    CPPUNIT_TEST(refusesBadOperations);
    CPPUNIT_TEST(passwordUnderAnyNameLeavesTheDocument);
    CPPUNIT_TEST(aFailingOperationChangesNothing);
    CPPUNIT_TEST(immutableAttributesTakeOnlyTheirOwnValue);
    CPPUNIT_TEST(propertyAnyFailingOperationAppliesNothing);
    CPPUNIT_TEST_SUITE_END();

  public:
    void entraDefaultModeUpdate() {
        const auto doc = patch(
            R"([{"op":"Replace","path":"emails[type eq \"work\"].value","value":"updatedEmail@microsoft.com"},
                                    {"op":"Replace","path":"name.familyName","value":"updatedFamilyName"},
                                    {"op":"Replace","path":"userName","value":"5b50642d@testuser.com"},
                                    {"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber","value":"42","name":"ignored"}])");
        CPPUNIT_ASSERT_EQUAL(
            std::string(
                R"([{"primary":true,"type":"work","value":"updatedEmail@microsoft.com"},{"type":"home","value":"home@x.com"}])"),
            at(doc, "emails"));
        CPPUNIT_ASSERT_EQUAL(
            std::string(R"({"familyName":"updatedFamilyName","givenName":"Barbara"})"),
            at(doc, "name"));
        CPPUNIT_ASSERT_EQUAL(std::string(R"("5b50642d@testuser.com")"), at(doc, "userName"));
        CPPUNIT_ASSERT_EQUAL(std::string(R"("42")"), ent(doc, "employeeNumber"));
    }

    void entraFlagModePathlessReplace() {
        const auto doc = patch(
            R"([{"op":"replace","path":"emails[type eq \"work\"].value","value":"TestMhvaes@test.microsoft.com"},
            {"op":"replace","value":{"displayName":"Bjfe","name.givenName":"Kkom","name.familyName":"Unua",
             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber":"Aklq"}}])");
        CPPUNIT_ASSERT_EQUAL(std::string(R"("Bjfe")"), at(doc, "displayName"));
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"familyName":"Unua","givenName":"Kkom"})"),
                             at(doc, "name"));
        CPPUNIT_ASSERT_EQUAL(std::string(R"("Aklq")"), ent(doc, "employeeNumber"));
        CPPUNIT_ASSERT_EQUAL(std::string(R"("Ops")"), ent(doc, "department"));
        const auto renamed =
            patch(R"([{"op":"replace","value":{"userName":"emilio@hermann.uk"}}])");
        CPPUNIT_ASSERT_EQUAL(std::string(R"("emilio@hermann.uk")"), at(renamed, "userName"));
        const auto nested = patch(R"([{"op":"add","value":{"name":{"middleName":"M"},")" + kEnt +
                                  R"(":{"costCenter":"C1"}}}])");
        CPPUNIT_ASSERT_EQUAL(
            std::string(R"({"familyName":"Jensen","givenName":"Barbara","middleName":"M"})"),
            at(nested, "name"));
        CPPUNIT_ASSERT_EQUAL(std::string(R"("C1")"), ent(nested, "costCenter"));
    }

    void disableAndEnableInBothModes() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("false"),
            at(patch(R"([{"op":"Replace","path":"active","value":"False"}])"), "active"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("false"),
            at(patch(R"([{"op":"replace","path":"active","value":false}])"), "active"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("false"),
            at(patch(R"([{"op":"Add","path":"active","value":"false"}])"), "active"));
        CPPUNIT_ASSERT_EQUAL(std::string("true"),
                             at(patch(R"([{"op":"Replace","path":"active","value":"True"}])",
                                      R"({"userName":"u","active":false})"),
                                "active"));
    }

    void addOnSingleValuedReplaces() {
        CPPUNIT_ASSERT_EQUAL(
            std::string(R"("Babs")"),
            at(patch(R"([{"op":"Add","path":"nickName","value":"Babs"}])"), "nickName"));
        CPPUNIT_ASSERT_EQUAL(
            std::string(R"("u2")"),
            at(patch(R"([{"op":"ADD","path":"USERNAME","value":"u2"}])"), "userName"));
    }

    void valuePathThatMatchesNothingCreatesTheElement() {
        const auto doc =
            patch(R"([{"op":"Add","path":"phoneNumbers[type eq \"work\"].value","value":"555-1"},
                                    {"op":"Replace","path":"phoneNumbers[type eq \"mobile\"].value","value":"555-2"},
                                    {"op":"replace","path":"addresses[type eq \"work\"].formatted","value":"1 Main St"},
                                    {"op":"Remove","path":"ims[type eq \"xmpp\"]"}])");
        CPPUNIT_ASSERT_EQUAL(
            std::string(R"([{"type":"work","value":"555-1"},{"type":"mobile","value":"555-2"}])"),
            at(doc, "phoneNumbers"));
        CPPUNIT_ASSERT_EQUAL(std::string(R"([{"formatted":"1 Main St","type":"work"}])"),
                             at(doc, "addresses"));
        CPPUNIT_ASSERT_EQUAL(std::string("<absent>"), at(doc, "ims"));
        const auto updated = patch(
            R"([{"op":"Replace","path":"phoneNumbers[type eq \"work\"].value","value":"555-9"}])",
            R"({"userName":"u","phoneNumbers":[{"type":"work","value":"555-1"}]})");
        CPPUNIT_ASSERT_EQUAL(std::string(R"([{"type":"work","value":"555-9"}])"),
                             at(updated, "phoneNumbers"));
    }

    void multiValuedAddMergesAndRemoveByValueRemovesOnlyThose() {
        const auto added = patch(
            R"([{"op":"Add","path":"emails","value":[{"value":"b@x.com","type":"work"},{"value":"o@x.com","type":"other"}]}])");
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), added->getArray("emails")->size());
        const auto removed =
            patch(R"([{"op":"Remove","path":"emails","value":[{"value":"home@x.com"}]}])");
        CPPUNIT_ASSERT_EQUAL(std::string(R"([{"primary":true,"type":"work","value":"b@x.com"}])"),
                             at(removed, "emails"));
        const auto byFilter = patch(R"([{"op":"remove","path":"emails[value eq \"b@x.com\"]"}])");
        CPPUNIT_ASSERT_EQUAL(std::string(R"([{"type":"home","value":"home@x.com"}])"),
                             at(byFilter, "emails"));
        CPPUNIT_ASSERT_EQUAL(std::string("<absent>"),
                             at(patch(R"([{"op":"Remove","path":"emails"}])"), "emails"));
        const auto replaced = patch(
            R"([{"op":"Replace","path":"emails","value":[{"value":"n@x.com","type":"work"}]}])");
        CPPUNIT_ASSERT_EQUAL(std::string(R"([{"type":"work","value":"n@x.com"}])"),
                             at(replaced, "emails"));
    }

    void everyManagerShape() {
        const std::string urnPath = kEnt + ":manager";
        for (
            const std::string& op : std::vector<std::string>{
                R"({"op":"Add","path":")" + urnPath + R"(","value":"m2"})",
                R"({"op":"replace","path":")" + urnPath + R"(","value":{"value":"m2"}})",
                R"({"op":"Add","path":"manager","value":[{"$ref":"http://h/Users/m2","value":"m2"}]})",
                R"({"op":"replace","path":")" + kEnt + R"(.manager","value":"m2"})",
                R"({"op":"replace","path":")" + urnPath + R"(.value","value":"m2"})"}) {
            const auto doc = patch("[" + op + "]");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(
                op, std::string("m2"),
                doc->getObject(kEnt)->getObject("manager")->getValue<std::string>("value"));
        }
        for (const std::string& op : std::vector<std::string>{
                 R"({"op":"remove","path":")" + urnPath + R"("})",
                 R"({"op":"Remove","path":"manager","value":[{"value":"m1"}]})",
                 R"({"op":"replace","path":")" + urnPath + R"(","value":""})",
                 R"({"op":"replace","path":")" + urnPath + R"(","value":null})"}) {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(op, std::string("<absent>"),
                                         ent(patch("[" + op + "]"), "manager"));
        }
    }

    void clearing() {
        const auto doc = patch(R"([{"op":"Replace","path":"name.givenName","value":""},
                                    {"op":"Remove","path":"externalId"},
                                    {"op":"replace","path":")" +
                               kEnt + R"(:department","value":null}])");
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"familyName":"Jensen"})"), at(doc, "name"));
        CPPUNIT_ASSERT_EQUAL(std::string("<absent>"), at(doc, "externalId"));
        CPPUNIT_ASSERT_EQUAL(std::string("<absent>"), ent(doc, "department"));
    }

    void refusesBadOperations() {
        assertRefused("[]", "invalidSyntax");
        assertRefused(R"([{"op":"move","path":"userName","value":"x"}])", "invalidSyntax");
        assertRefused(R"([{"path":"userName","value":"x"}])", "invalidSyntax");
        assertRefused(R"([{"op":"replace","path":"shoeSize","value":"9"}])", "invalidPath");
        assertRefused(R"([{"op":"replace","path":"emails[type eq \"work\"","value":"x"}])",
                      "invalidPath");
        assertRefused(R"([{"op":"replace","path":"name.nickName","value":"x"}])", "invalidPath");
        assertRefused(R"([{"op":"replace","path":"userName[value eq \"x\"]","value":"x"}])",
                      "invalidPath");
        assertRefused(R"([{"op":"replace","path":"id","value":"x"}])", "mutability");
        assertRefused(R"([{"op":"add","path":"groups","value":[{"value":"g"}]}])", "mutability");
        assertRefused(R"([{"op":"replace","path":"active","value":"maybe"}])", "invalidValue");
        assertRefused(R"([{"op":"replace","path":"userName","value":""}])", "invalidValue");
        assertRefused(
            R"([{"op":"replace","path":"emails[value co \"nobody\"].value","value":"x"}])",
            "noTarget");
        assertRefused(R"([{"op":"remove"}])", "noTarget");
        assertRefused(  // a second primary
            R"([{"op":"add","path":"emails","value":[{"value":"w2@x.com","type":"work","primary":true}]}])",
            "invalidValue");
        assertRefused(R"([{"op":"replace","path":"userName","value":"bjensen\u0000"}])",
                      "invalidValue");
        assertRefused(R"([{"op":"replace","path":"externalId","value":"e\u007f"}])",
                      "invalidValue");
        assertRefused(R"([{"op":"remove","path":"urn:ietf:params:scim:schemas:core:2.0:User"}])",
                      "invalidPath");
        assertRefused(R"([{"op":"replace","value":"not an object"}])", "invalidValue");
    }

    void passwordUnderAnyNameLeavesTheDocument() {
        const std::string core = "urn:ietf:params:scim:schemas:core:2.0:User";
        for (const std::string& operations :
             {std::string(R"([{"op":"replace","path":"password","value":"S3cret!"}])"),
              R"([{"op":"replace","path":")" + core + R"(:password","value":"S3cret!"}])",
              R"([{"op":"add","value":{")" + core + R"(:password":"S3cret!"}}])",
              R"([{"op":"Replace","value":{")" + core + R"(":{"password":"S3cret!"}}}])",
              R"([{"op":"replace","path":")" + core + R"(","value":{"password":"S3cret!"}}])"}) {
            const auto body = parse(R"({"Operations":)" + operations + "}");
            const auto changed = scim::applyPatch(
                parse(kUser), scim::parsePatchRequest(body, api::RequestLimits().patchOperations),
                scim::userResourceSchema());
            CPPUNIT_ASSERT_MESSAGE(operations, changed.password == std::string("S3cret!"));
            CPPUNIT_ASSERT_MESSAGE(str(changed.doc),
                                   str(changed.doc).find("S3cret") == std::string::npos);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(
                operations,
                str(scim::normaliseResource(parse(kUser), scim::userResourceSchema()).doc),
                str(changed.doc));
        }
        // A whole extension by its URN: its members, not a nested object.
        const auto doc = patch(R"([{"op":"replace","path":")" + std::string(kEnt) +
                               R"(","value":{"department":"R&D"}}])");
        CPPUNIT_ASSERT_EQUAL(std::string("\"R&D\""), ent(doc, "department"));
        CPPUNIT_ASSERT_EQUAL(std::string("<absent>"),
                             at(doc, "urn:ietf:params:scim:schemas:extension:enterprise:2.0"));
    }

    void aFailingOperationChangesNothing() {
        const auto original = parse(kUser);
        const std::string before = str(original);
        const auto body =
            parse(R"({"Operations":[{"op":"replace","path":"userName","value":"changed"},
                                                 {"op":"replace","path":"name.givenName","value":"X"},
                                                 {"op":"replace","path":"shoeSize","value":"9"}]})");
        CPPUNIT_ASSERT_THROW(
            scim::applyPatch(original,
                             scim::parsePatchRequest(body, api::RequestLimits().patchOperations),
                             scim::userResourceSchema()),
            scim::ScimError);
        CPPUNIT_ASSERT_EQUAL(before, str(original));
    }

    void immutableAttributesTakeOnlyTheirOwnValue() {
        scim::SchemaDef schema;
        schema.id = "urn:example:Thing";
        scim::AttributeDef name;
        name.name = "userName";
        name.required = true;
        scim::AttributeDef code;
        code.name = "code";
        code.mutability = scim::Mutability::Immutable;
        schema.attributes = {name, code};
        const scim::ResourceSchema things(schema, {});
        auto run = [&](const std::string& ops) {
            return scim::applyPatch(parse(R"({"userName":"a","code":"X"})"),
                                    scim::parsePatchRequest(parse(R"({"Operations":)" + ops + "}"),
                                                            api::RequestLimits().patchOperations),
                                    things)
                .doc;
        };
        CPPUNIT_ASSERT_EQUAL(std::string(R"("X")"),
                             at(run(R"([{"op":"replace","path":"code","value":"X"}])"), "code"));
        for (const char* ops : {R"([{"op":"replace","path":"code","value":"Y"}])",
                                R"([{"op":"remove","path":"code"}])"}) {
            try {
                run(ops);
                CPPUNIT_FAIL(std::string("accepted: ") + ops);
            } catch (const scim::ScimError& e) {
                CPPUNIT_ASSERT_EQUAL(std::string("mutability"), e.scimType());
            }
        }
    }

    // Random valid operation lists with one invalid operation at a random place: every one is
    // refused as a whole and the input document is byte-identical afterwards.
    void propertyAnyFailingOperationAppliesNothing() {
        const std::vector<std::string> valid = {
            R"({"op":"Replace","path":"displayName","value":"D"})",
            R"({"op":"add","path":"nickName","value":"N"})",
            R"({"op":"Replace","path":"active","value":"False"})",
            R"({"op":"remove","path":"name.givenName"})",
            R"({"op":"Add","path":"phoneNumbers[type eq \"work\"].value","value":"1"})",
            R"({"op":"replace","value":{"title":"T","name.familyName":"F"}})",
            R"({"op":"Remove","path":"emails","value":[{"value":"home@x.com"}]})",
            R"({"op":"replace","path":")" + kEnt + R"(:department","value":"R&D"})",
            R"({"op":"Add","path":"emails","value":[{"value":"o@x.com","type":"other"}]})",
        };
        const std::vector<std::string> invalid = {
            R"({"op":"replace","path":"shoeSize","value":"9"})",
            R"({"op":"replace","path":"active","value":"perhaps"})",
            R"({"op":"replace","path":"id","value":"x"})",
            R"({"op":"replace","path":"emails[value co \"zzz\"].value","value":"x"})",
            R"({"op":"copy","path":"title","value":"x"})",
            R"({"op":"replace","path":"userName","value":""})",
        };
        unsigned seed = 20261128;
        auto next = [&seed](std::size_t bound) {
            seed = seed * 1103515245u + 12345u;
            return static_cast<std::size_t>((seed >> 8) % bound);
        };
        for (int round = 0; round < 300; ++round) {
            std::vector<std::string> ops;
            const std::size_t count = 1 + next(6);
            for (std::size_t i = 0; i < count; ++i) {
                ops.push_back(valid[next(valid.size())]);
            }
            ops.insert(ops.begin() + static_cast<long>(next(ops.size() + 1)),
                       invalid[next(invalid.size())]);
            std::string list = "[";
            for (std::size_t i = 0; i < ops.size(); ++i) {
                list += (i ? "," : "") + ops[i];
            }
            list += "]";
            const auto original = parse(kUser);
            const std::string before = str(original);
            try {
                scim::applyPatch(original,
                                 scim::parsePatchRequest(parse(R"({"Operations":)" + list + "}"),
                                                         api::RequestLimits().patchOperations),
                                 scim::userResourceSchema());
                CPPUNIT_FAIL("accepted: " + list);
            } catch (const scim::ScimError& e) {
                CPPUNIT_ASSERT_EQUAL_MESSAGE(list, 400, e.status());
            }
            CPPUNIT_ASSERT_EQUAL_MESSAGE(list, before, str(original));
        }
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(PatchTest, "PatchTest");
