// A group PATCH split into document operations and membership edits, in order (pure).
#include "scim/MemberPatch.h"
#include "scim/ScimError.h"

#include <Poco/JSON/Parser.h>

#include <cppunit/extensions/HelperMacros.h>

namespace {

scim::GroupPatch split(const std::string& operations) {
    return scim::splitGroupPatch(
        scim::parsePatchRequest(Poco::JSON::Parser()
                                    .parse(R"({"schemas":[")" + std::string(scim::kPatchOpSchema) +
                                           R"("],"Operations":)" + operations + "}")
                                    .extract<Poco::JSON::Object::Ptr>(),
                                100));
}

using Kind = scim::MemberEdit::Kind;
using Ids = std::vector<std::string>;

}  // namespace

class MemberPatchTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(MemberPatchTest);
    CPPUNIT_TEST(entrasShapesBecomeEditsInOrder);
    CPPUNIT_TEST(otherFiltersStayFiltersForTheStore);
    CPPUNIT_TEST(bareStringsAreMemberIds);
    CPPUNIT_TEST(badMemberOperationsAreRefused);
    CPPUNIT_TEST_SUITE_END();

  public:
    void entrasShapesBecomeEditsInOrder() {
        const auto patch = split(
            R"([{"op":"Add","value":{"displayName":"Team","members":[{"value":"a"},{"value":"b"}]}},)"
            R"({"op":"Remove","path":"members","value":[{"value":"a"}]},)"
            R"({"op":"remove","path":"members[value eq \"b\" or value eq \"c\"]"},)"
            R"({"op":"replace","path":"members","value":[{"value":"d"}]},)"
            R"({"op":"remove","path":"members"}])");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), patch.documentOps.size());
        const auto rest = patch.documentOps[0].value.extract<Poco::JSON::Object::Ptr>();
        CPPUNIT_ASSERT(rest->has("displayName") && !rest->has("members"));
        const auto& edits = patch.memberEdits;
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), edits.size());
        CPPUNIT_ASSERT(edits[0].kind == Kind::Add && edits[0].ids == (Ids{"a", "b"}));
        CPPUNIT_ASSERT(edits[1].kind == Kind::Remove && edits[1].ids == Ids{"a"});
        CPPUNIT_ASSERT(edits[2].kind == Kind::Remove && edits[2].ids == (Ids{"b", "c"}));
        CPPUNIT_ASSERT(edits[3].kind == Kind::ReplaceAll && edits[3].ids == Ids{"d"});
        CPPUNIT_ASSERT(edits[4].kind == Kind::RemoveAll && edits[4].ids.empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t(6), patch.memberValues());
    }

    void otherFiltersStayFiltersForTheStore() {
        const auto patch = split(R"([{"op":"remove","path":"members[display sw \"drop\"]"}])");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), patch.memberEdits.size());
        const auto& edit = patch.memberEdits[0];
        CPPUNIT_ASSERT(edit.kind == Kind::RemoveMatching && edit.filter && edit.ids.empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), patch.memberValues());
        CPPUNIT_ASSERT(scim::memberMatches(edit.filter, "u-1", "User", "Drop-me@example.com"));
        CPPUNIT_ASSERT(!scim::memberMatches(edit.filter, "u-2", "User", "keep@example.com"));
        const auto byType = split(R"([{"op":"remove","path":"members[type eq \"Group\"]"}])");
        CPPUNIT_ASSERT(scim::memberMatches(byType.memberEdits[0].filter, "g-1", "Group", "x"));
        CPPUNIT_ASSERT(!scim::memberMatches(byType.memberEdits[0].filter, "u-1", "User", "x"));
    }

    void bareStringsAreMemberIds() {
        const auto patch =
            split(R"([{"op":"add","path":"members","value":"string id 1"},)"
                  R"({"op":"remove","path":"members","value":["a",{"value":"b"}]}])");
        const auto& edits = patch.memberEdits;
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), edits.size());
        CPPUNIT_ASSERT(edits[0].kind == Kind::Add && edits[0].ids == Ids{"string id 1"});
        CPPUNIT_ASSERT(edits[1].kind == Kind::Remove && edits[1].ids == (Ids{"a", "b"}));
    }

    void badMemberOperationsAreRefused() {
        const auto refused = [](const std::string& operations, const std::string& scimType) {
            try {
                split(operations);
                CPPUNIT_FAIL("accepted: " + operations);
            } catch (const scim::ScimError& e) {
                CPPUNIT_ASSERT_EQUAL_MESSAGE(operations, 400, e.status());
                CPPUNIT_ASSERT_EQUAL_MESSAGE(operations, scimType, e.scimType());
            }
        };
        refused(R"([{"op":"add","path":"members[value eq \"x\"]","value":[{"value":"x"}]}])",
                "invalidPath");
        refused(R"([{"op":"add","path":"members","value":[{"display":"no id"}]}])", "invalidValue");
        refused(R"([{"op":"add","path":"members","value":[{"value":""}]}])", "invalidValue");
        refused(R"([{"op":"add","path":"members","value":[""]}])", "invalidValue");
        refused(R"([{"op":"add","path":"members","value":[42]}])", "invalidValue");
        refused(R"([{"op":"add","path":"members","value":[{"value":7}]}])", "invalidValue");
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(MemberPatchTest, "MemberPatchTest");
