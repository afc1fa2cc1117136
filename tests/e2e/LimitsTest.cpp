// The scim.limits.* settings over real HTTP: a request inside every limit works, each one past
// a limit gets its SCIM error, and a refused write changes nothing.
#include "support/HostProcess.h"

#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>

#include <cppunit/extensions/HelperMacros.h>

using testing::HostProcess;

namespace {

Poco::JSON::Object::Ptr json(const std::string& text) {
    return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

// `depth` objects inside each other: {"a":{"a":...{}}}.
std::string nested(int depth) {
    std::string text;
    for (int i = 0; i < depth; ++i) {
        text += R"({"a":)";
    }
    text += "{}";
    return text + std::string(static_cast<std::size_t>(depth), '}');
}

std::string patchOps(int count) {
    std::string ops;
    for (int i = 0; i < count; ++i) {
        ops += std::string(i ? "," : "") + R"({"op":"replace","path":"title","value":"T)" +
               std::to_string(i) + R"("})";
    }
    return R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[)" + ops +
           "]}";
}

std::string addMembers(const std::vector<std::string>& ids) {
    std::string values;
    for (const auto& id : ids) {
        values += std::string(values.empty() ? "" : ",") + R"({"value":")" + id + R"("})";
    }
    return R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[)"
           R"({"op":"Add","path":"members","value":[)" +
           values + "]}]}";
}

}  // namespace

class LimitsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(LimitsTest);
    CPPUNIT_TEST(eachLimitAnswersItsScimErrorAndChangesNothing);
    CPPUNIT_TEST_SUITE_END();

  public:
    void eachLimitAnswersItsScimErrorAndChangesNothing() {
        HostProcess host({"tim-scim"}, {{"scim.limits.jsonDepth", "6"},
                                        {"scim.limits.jsonValues", "60"},
                                        {"scim.limits.jsonStringBytes", "100"},
                                        {"scim.limits.patchOperations", "3"},
                                        {"scim.limits.membersPerPatch", "4"},
                                        {"scim.limits.filterLength", "64"},
                                        {"scim.limits.filterDepth", "2"}});
        host.start();
        const testing::ScimClient send(host);
        const auto expectError = [&](const std::string& what, const testing::HttpResult& result,
                                     const std::string& scimType) {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(what + ": " + result.body, 400, result.status);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(what, scimType,
                                         json(result.body)->getValue<std::string>("scimType"));
        };

        // Inside every limit.
        const auto user =
            send("POST", "/Users",
                 R"({"userName":"limits@example.com","title":")" + std::string(100, 's') +
                     R"(","urn:example:x":)" + nested(3) + "}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(user.body, 201, user.status);
        const std::string userId = json(user.body)->getValue<std::string>("id");
        const auto group = send("POST", "/Groups", R"({"displayName":"Limited"})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(group.body, 201, group.status);
        const std::string groupId = json(group.body)->getValue<std::string>("id");
        CPPUNIT_ASSERT_EQUAL(200, send("PATCH", "/Users/" + userId, patchOps(3)).status);
        std::vector<std::string> members;
        for (int i = 0; i < 5; ++i) {
            const auto created = send("POST", "/Users",
                                      R"({"userName":"member)" + std::to_string(i) + R"(@x.org"})");
            CPPUNIT_ASSERT_EQUAL(201, created.status);
            members.push_back(json(created.body)->getValue<std::string>("id"));
        }
        CPPUNIT_ASSERT_EQUAL(204, send("PATCH", "/Groups/" + groupId,
                                       addMembers({members.begin(), members.begin() + 4}))
                                      .status);
        const auto before = send("GET", "/Users/" + userId);

        // Past each limit.
        expectError("depth",
                    send("POST", "/Users",
                         R"({"userName":"deep@example.com","urn:example:x":)" + nested(20) + "}"),
                    "invalidSyntax");
        std::string many = R"({"userName":"many@example.com","urn:example:x":[0)";
        for (int i = 1; i < 100; ++i) {
            many += "," + std::to_string(i);
        }
        expectError("values", send("POST", "/Users", many + "]}"), "invalidSyntax");
        expectError(
            "string",
            send("POST", "/Users",
                 R"({"userName":"long@example.com","title":")" + std::string(101, 't') + R"("})"),
            "invalidSyntax");
        expectError("key",
                    send("POST", "/Users",
                         R"({"userName":"long@example.com",")" + std::string(101, 'k') + R"(":1})"),
                    "invalidSyntax");
        expectError("operations", send("PATCH", "/Users/" + userId, patchOps(4)), "invalidValue");
        expectError("members", send("PATCH", "/Groups/" + groupId, addMembers(members)), "tooMany");
        std::string encoded;
        Poco::URI::encode("userName eq \"" + std::string(60, 'x') + "\"", "", encoded);
        expectError("filter length", send("GET", "/Users?filter=" + encoded), "invalidFilter");
        encoded.clear();
        Poco::URI::encode(R"(((((userName eq "a")))))", "", encoded);
        expectError("filter depth", send("GET", "/Users?filter=" + encoded), "invalidFilter");

        // Nothing the refused requests carried was written.
        const auto after = send("GET", "/Users/" + userId);
        CPPUNIT_ASSERT_EQUAL(before.body, after.body);
        CPPUNIT_ASSERT_EQUAL(before.header("etag"), after.header("etag"));
        CPPUNIT_ASSERT_EQUAL(
            std::size_t(4),
            json(send("GET", "/Groups/" + groupId).body)->getArray("members")->size());
        for (const char* name : {"deep@example.com", "many@example.com"}) {
            std::string filter;
            Poco::URI::encode(std::string("userName eq \"") + name + "\"", "", filter);
            CPPUNIT_ASSERT_EQUAL(
                0,
                json(send("GET", "/Users?filter=" + filter).body)->getValue<int>("totalResults"));
        }
        CPPUNIT_ASSERT_EQUAL(0, host.stop());
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(LimitsTest, "LimitsTest");
