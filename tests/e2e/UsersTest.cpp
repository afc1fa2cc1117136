// /Users over HTTP through timhost, on SQLite and on the test MariaDB: Entra's sequences
// replayed from fixtures, paging, ETags, PUT, .search, binding and bad input.
#include "support/FixtureReplay.h"
#include "support/HostProcess.h"
#include "support/TestDatabases.h"

#include <Poco/JSON/Parser.h>
#include <Poco/Process.h>
#include <Poco/String.h>

#include <cppunit/extensions/HelperMacros.h>

using testing::HostProcess;

namespace {

using Poco::JSON::Object;

const std::string kBase = "/tim/api/scim";

Object::Ptr json(const std::string& text) {
    return Poco::JSON::Parser().parse(text).extract<Object::Ptr>();
}

}  // namespace

class UsersContract : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(UsersContract);
    CPPUNIT_TEST(entraProvisioningSequence);
    CPPUNIT_TEST(entraPatchDefaultMode);
    CPPUNIT_TEST(entraPatchFlagMode);
    CPPUNIT_TEST(entraGroupsDefaultMode);
    CPPUNIT_TEST(entraGroupsFlagMode);
    CPPUNIT_TEST(roleGroupsGrantStaticRoles);
    CPPUNIT_TEST(nestedRoleGroupsReachUsersBelowOptIn);
    CPPUNIT_TEST(timSideDeletionsAreUndoneWhenEntraRecreates);
    CPPUNIT_TEST(pagesThroughUsers);
    CPPUNIT_TEST(replacesWithEtags);
    CPPUNIT_TEST(searchesWithPost);
    CPPUNIT_TEST(bindsUsersTimAlreadyHas);
    CPPUNIT_TEST(refusesBadInput);
    CPPUNIT_TEST(returnsTheManagerAsAReference);
    CPPUNIT_TEST(aMemberFilterPicksTheMembersAtItsPlaceInThePatch);
    CPPUNIT_TEST(bareStringMembersAreMemberIds);
    CPPUNIT_TEST(filteredAttributePathsPickElements);
    CPPUNIT_TEST_SUITE_END_ABSTRACT();

  public:
    virtual std::map<std::string, std::string> databaseProperties() = 0;

    void setUp() override {
        _host = std::make_unique<HostProcess>(std::vector<std::string>{"tim-scim"},
                                              databaseProperties());
        _host->start();
        _auth = {{"Authorization", "Bearer " + _host->generateToken()}};
    }

    void tearDown() override { _host.reset(); }

    void entraProvisioningSequence() { replay("entra/users-provisioning.json"); }

    void entraPatchDefaultMode() { replay("entra/users-patch-default.json"); }

    void entraPatchFlagMode() { replay("entra/users-patch-flag.json"); }

    void entraGroupsDefaultMode() { replay("entra/groups-default.json"); }

    void entraGroupsFlagMode() { replay("entra/groups-flag.json"); }

    void roleGroupsGrantStaticRoles() {
        replay("entra/groups-roles.json");
        const std::string log = _host->log();
        CPPUNIT_ASSERT_MESSAGE(
            log, log.find("role group role.system: system is not a role SCIM may grant") !=
                     std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(
            log,
            log.find("role group Role.abc: abc is not a role SCIM may grant") != std::string::npos);
    }

    // scim.roles.nested=true: role.processmanager ⊃ Sales ⊃ EMEA ⊃ alice, Sales ⊃ bob, with a
    // cycle EMEA ⊃ Sales. Every change on the path grants or revokes in its own write.
    void nestedRoleGroupsReachUsersBelowOptIn() {
        auto properties = databaseProperties();
        properties["scim.roles.nested"] = "true";
        _host = std::make_unique<HostProcess>(std::vector<std::string>{"tim-scim"}, properties);
        _host->start();
        _auth = {{"Authorization", "Bearer " + _host->generateToken()}};
        const std::string alice = newUser("nested-alice");
        const std::string bob = newUser("nested-bob");
        const std::string emea = newGroup("EMEA", {alice});
        const std::string sales = newGroup("Sales", {emea, bob});
        CPPUNIT_ASSERT_EQUAL(std::string(""), rolesOf(alice));
        newGroup("role.processmanager", {sales});
        CPPUNIT_ASSERT_EQUAL(std::string("processmanager"), rolesOf(alice));
        CPPUNIT_ASSERT_EQUAL(std::string("processmanager"), rolesOf(bob));
        const auto changeMembers = [&](const std::string& group, const std::string& op,
                                       const std::string& member) {
            const auto result = request(
                "PATCH", "/Groups/" + group,
                R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[)"
                R"({"op":")" +
                    op + R"(","path":"members","value":[{"value":")" + member + R"("}]}]})");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(result.body, 204, result.status);
        };
        changeMembers(emea, "add", sales);  // the cycle
        const std::string carol = newUser("nested-carol");
        changeMembers(emea, "add", carol);
        CPPUNIT_ASSERT_EQUAL(std::string("processmanager"), rolesOf(carol));
        // EMEA leaves Sales: its users lose the role, Sales's own user keeps it.
        changeMembers(sales, "remove", emea);
        CPPUNIT_ASSERT_EQUAL(std::string(""), rolesOf(alice));
        CPPUNIT_ASSERT_EQUAL(std::string(""), rolesOf(carol));
        CPPUNIT_ASSERT_EQUAL(std::string("processmanager"), rolesOf(bob));
        CPPUNIT_ASSERT_EQUAL(204, request("DELETE", "/Groups/" + sales, "").status);
        CPPUNIT_ASSERT_EQUAL(std::string(""), rolesOf(bob));
        std::string out;
        std::string err;
        CPPUNIT_ASSERT_EQUAL(0, _host->runCommand("scim.audit", {alice}, out, err));
        CPPUNIT_ASSERT_MESSAGE(
            out, out.find("grant") != std::string::npos && out.find("revoke") != std::string::npos);
        // Off (the default), a group inside a role group gives its users nothing.
        setUp();
        const std::string dave = newUser("direct-dave");
        newGroup("role.processmanager", {newGroup("Team", {dave})});
        CPPUNIT_ASSERT_EQUAL(std::string(""), rolesOf(dave));
    }

    void timSideDeletionsAreUndoneWhenEntraRecreates() {
        const std::string user = json(post(R"({"userName":"restore-me","externalId":"e-r"})").body)
                                     ->getValue<std::string>("id");
        auto group = [&](const std::string& body) {
            return json(request("POST", "/Groups", body).body)->getValue<std::string>("id");
        };
        const std::string team = group(
            R"({"displayName":"Team","externalId":"g-t","members":[{"value":")" + user + R"("}]})");
        const std::string roles = group(
            R"({"displayName":"role.processmanager","externalId":"g-r","members":[{"value":")" +
            user + R"("}]})");
        std::string out;
        std::string err;
        CPPUNIT_ASSERT_EQUAL_MESSAGE(err, 0,
                                     _host->runCommand("scim.user.delete", {user}, out, err));
        CPPUNIT_ASSERT_EQUAL(404, get("/Users/" + user).status);

        // Entra re-creates the user on its next cycle: memberships and roles come back.
        const auto again = json(post(R"({"userName":"restore-me","externalId":"e-r"})").body);
        const std::string newId = again->getValue<std::string>("id");
        CPPUNIT_ASSERT(newId != user);
        auto memberIds = [&](const std::string& groupId) {
            std::string ids;
            const auto members =
                json(get("/Groups/" + groupId + "?attributes=members").body)->getArray("members");
            for (std::size_t i = 0; members && i < members->size(); ++i) {
                ids +=
                    members->getObject(static_cast<unsigned>(i))->getValue<std::string>("value") +
                    ";";
            }
            return ids;
        };
        CPPUNIT_ASSERT_EQUAL(newId + ";", memberIds(team));
        const auto roleList = json(get("/Users/" + newId).body)
                                  ->getObject("urn:ietf:params:scim:schemas:extension:tim:2.0:User")
                                  ->getArray("roles");
        CPPUNIT_ASSERT_EQUAL(std::string("processmanager"), roleList->getElement<std::string>(0));
        CPPUNIT_ASSERT_MESSAGE(
            _host->log(),
            _host->log().find("restored 2 membership(s) and the roles their role groups grant") !=
                std::string::npos);
        // The audit says the new user came back with what the deleted one had.
        CPPUNIT_ASSERT_EQUAL(0, _host->runCommand("scim.audit", {newId}, out, err));
        CPPUNIT_ASSERT_MESSAGE(out, out.find("  create  User  " + newId) != std::string::npos &&
                                        out.find("outcome=restored") != std::string::npos);

        // The same for a group deleted in TIM: Entra re-creates it without members.
        CPPUNIT_ASSERT_EQUAL(0, _host->runCommand("scim.group.delete", {team}, out, err));
        CPPUNIT_ASSERT_EQUAL(404, get("/Groups/" + team).status);
        const std::string recreated =
            group(R"({"displayName":"Team","externalId":"g-t","members":[]})");
        CPPUNIT_ASSERT_EQUAL(newId + ";", memberIds(recreated));

        // A SCIM DELETE is Entra's own intent: nothing is restored.
        CPPUNIT_ASSERT_EQUAL(204, request("DELETE", "/Groups/" + roles, "").status);
        const std::string fresh =
            group(R"({"displayName":"role.processmanager","externalId":"g-r"})");
        CPPUNIT_ASSERT_EQUAL(std::string(""), memberIds(fresh));
        CPPUNIT_ASSERT(_host->runCommand("scim.user.delete", {"no-such-user"}, out, err) != 0);
    }

    // RFC 7644 §3.5.2: operations apply in sequence. A filter on members picks among the
    // members the group has when its operation runs, inside the PATCH's one transaction: here
    // the member the first operation adds too.
    void aMemberFilterPicksTheMembersAtItsPlaceInThePatch() {
        const std::string keep = newUser("keep-a");
        const std::string dropB = newUser("drop-b");
        const std::string dropC = newUser("drop-c");
        const std::string group =
            json(request("POST", "/Groups",
                         R"({"displayName":"Filtered","members":[{"value":")" + keep +
                             R"("},{"value":")" + dropB + R"("}]})")
                     .body)
                ->getValue<std::string>("id");
        const auto patched =
            request("PATCH", "/Groups/" + group,
                    R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[)"
                    R"({"op":"add","path":"members","value":[{"value":")" +
                        dropC +
                        R"("}]},)"
                        R"({"op":"remove","path":"members[display sw \"drop\"]"}]})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(patched.body, 204, patched.status);
        const auto members =
            json(get("/Groups/" + group + "?attributes=members").body)->getArray("members");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), members ? members->size() : 0);
        CPPUNIT_ASSERT_EQUAL(keep, members->getObject(0)->getValue<std::string>("value"));
    }

    void bareStringMembersAreMemberIds() {
        const std::string first = newUser("bare-1");
        const std::string second = newUser("bare-2");
        const auto created =
            request("POST", "/Groups", R"({"displayName":"Bare","members":[")" + first + R"("]})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 201, created.status);
        const std::string group = json(created.body)->getValue<std::string>("id");
        const auto patched =
            request("PATCH", "/Groups/" + group,
                    R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[)"
                    R"({"op":"add","path":"members","value":")" +
                        second +
                        R"("},)"
                        R"({"op":"add","path":"members","value":"string id 1"}]})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(patched.body, 204, patched.status);
        const auto members =
            json(get("/Groups/" + group + "?attributes=members").body)->getArray("members");
        std::set<std::string> ids;
        for (std::size_t i = 0; members && i < members->size(); ++i) {
            ids.insert(
                members->getObject(static_cast<unsigned>(i))->getValue<std::string>("value"));
        }
        CPPUNIT_ASSERT(ids == (std::set<std::string>{first, second}));
        CPPUNIT_ASSERT(
            _host->log().find("member string id 1 is not a user or group here; ignored") !=
            std::string::npos);
    }

    void filteredAttributePathsPickElements() {
        const auto created = post(
            R"({"userName":"picky","emails":[{"value":"w@example.com","type":"work","primary":true},)"
            R"({"value":"h@example.com","type":"home"}]})");
        CPPUNIT_ASSERT_EQUAL(201, created.status);
        const std::string id = json(created.body)->getValue<std::string>("id");
        const std::string work = "emails%5Btype+eq+%22work%22%5D";
        const auto emailsOf = [&](const std::string& query) {
            const auto result = get("/Users/" + id + "?" + query);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(result.body, 200, result.status);
            return json(result.body)->getArray("emails");
        };
        auto emails = emailsOf("attributes=" + work);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), emails->size());
        CPPUNIT_ASSERT_EQUAL(std::string("w@example.com"),
                             emails->getObject(0)->getValue<std::string>("value"));
        CPPUNIT_ASSERT(emails->getObject(0)->has("primary"));
        emails = emailsOf("attributes=" + work + ".value");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), emails->getObject(0)->size());
        emails = emailsOf("excludedAttributes=" + work);
        CPPUNIT_ASSERT_EQUAL(std::string("h@example.com"),
                             emails->getObject(0)->getValue<std::string>("value"));
        // In lists and searches too.
        const auto listed =
            json(get("/Users?filter=userName+eq+%22picky%22&attributes=" + work + ".value").body);
        const auto resource = listed->getArray("Resources")->getObject(0);
        CPPUNIT_ASSERT(!resource->has("userName"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), resource->getArray("emails")->size());
        // A filter the projection cannot apply is refused before anything is written.
        const auto refused = request("POST", "/Users?attributes=userName%5Bvalue+eq+%22x%22%5D",
                                     R"({"userName":"never-written"})");
        CPPUNIT_ASSERT_EQUAL(400, refused.status);
        CPPUNIT_ASSERT_EQUAL(std::string("invalidValue"),
                             json(refused.body)->getValue<std::string>("scimType"));
        CPPUNIT_ASSERT_EQUAL(0, json(get("/Users?filter=userName+eq+%22never-written%22").body)
                                    ->getValue<int>("totalResults"));
        const auto refusedPatch =
            request("PATCH", "/Users/" + id + "?excludedAttributes=emails%5Bnope+eq+1%5D",
                    R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[)"
                    R"({"op":"replace","path":"title","value":"changed"}]})");
        CPPUNIT_ASSERT_EQUAL(400, refusedPatch.status);
        CPPUNIT_ASSERT(!json(get("/Users/" + id).body)->has("title"));
    }

    void pagesThroughUsers() {
        for (int i = 0; i < 11; ++i) {
            const auto r = post(R"({"userName":"page-user-)" + std::to_string(100 + i) + R"("})");
            CPPUNIT_ASSERT_EQUAL(201, r.status);
        }
        std::set<std::string> seen;
        for (int start : {1, 6, 11}) {
            const auto page =
                json(get("/Users?startIndex=" + std::to_string(start) + "&count=5&sortBy=userName")
                         .body);
            CPPUNIT_ASSERT_EQUAL(11, page->getValue<int>("totalResults"));
            CPPUNIT_ASSERT_EQUAL(start, page->getValue<int>("startIndex"));
            const int expected = start == 11 ? 1 : 5;
            CPPUNIT_ASSERT_EQUAL(expected, page->getValue<int>("itemsPerPage"));
            const auto resources = page->getArray("Resources");
            for (std::size_t i = 0; i < resources->size(); ++i) {
                const std::string name = resources->getObject(static_cast<unsigned>(i))
                                             ->getValue<std::string>("userName");
                CPPUNIT_ASSERT_EQUAL(
                    "page-user-" + std::to_string(100 + start - 1 + static_cast<int>(i)), name);
                seen.insert(name);
            }
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(11), seen.size());
        const auto beyond = json(get("/Users?startIndex=12&count=5").body);
        CPPUNIT_ASSERT_EQUAL(0, beyond->getValue<int>("itemsPerPage"));
        CPPUNIT_ASSERT_EQUAL(11, beyond->getValue<int>("totalResults"));
        const auto countOnly = json(get("/Users?count=0").body);
        CPPUNIT_ASSERT_EQUAL(11, countOnly->getValue<int>("totalResults"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), countOnly->getArray("Resources")->size());
        const auto descending =
            json(get("/Users?sortBy=userName&sortOrder=descending&count=1").body);
        CPPUNIT_ASSERT_EQUAL(
            std::string("page-user-110"),
            descending->getArray("Resources")->getObject(0)->getValue<std::string>("userName"));
        const auto filtered = json(get("/Users?filter=userName+sw+%22page-user-10%22+and+not+("
                                       "userName+eq+%22page-user-100%22)")
                                       .body);
        CPPUNIT_ASSERT_EQUAL(9, filtered->getValue<int>("totalResults"));
        CPPUNIT_ASSERT_EQUAL(400, get("/Users?startIndex=one").status);
        CPPUNIT_ASSERT_EQUAL(400, get("/Users?sortBy=shoeSize").status);
    }

    void replacesWithEtags() {
        const auto created = post(R"({"userName":"etag-user","title":"Engineer"})");
        const std::string id = json(created.body)->getValue<std::string>("id");
        CPPUNIT_ASSERT_EQUAL(std::string("W/\"1\""), created.header("etag"));
        CPPUNIT_ASSERT_EQUAL(304, get("/Users/" + id, {{"If-None-Match", "W/\"1\""}}).status);
        CPPUNIT_ASSERT_EQUAL(200, get("/Users/" + id, {{"If-None-Match", "W/\"7\""}}).status);

        const auto replaced =
            put("/Users/" + id,
                R"({"userName":"etag-user","nickName":"E","groups":[{"value":"ignored"}]})",
                {{"If-Match", "W/\"1\""}});
        CPPUNIT_ASSERT_EQUAL(200, replaced.status);
        const auto doc = json(replaced.body);
        CPPUNIT_ASSERT_EQUAL(std::string("E"), doc->getValue<std::string>("nickName"));
        CPPUNIT_ASSERT(!doc->has("title"));   // PUT replaces
        CPPUNIT_ASSERT(!doc->has("groups"));  // readOnly: ignored
        CPPUNIT_ASSERT_EQUAL(std::string("W/\"2\""), replaced.header("etag"));
        CPPUNIT_ASSERT_EQUAL(
            412,
            put("/Users/" + id, R"({"userName":"etag-user"})", {{"If-Match", "W/\"1\""}}).status);

        post(R"({"userName":"someone-else"})");
        const auto taken = put("/Users/" + id, R"({"userName":"SOMEONE-ELSE"})");
        CPPUNIT_ASSERT_EQUAL(409, taken.status);
        CPPUNIT_ASSERT_EQUAL(std::string("uniqueness"),
                             json(taken.body)->getValue<std::string>("scimType"));
        const auto self = put(
            "/Users/" + id,
            R"({"userName":"etag-user","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":")" +
                id + "\"}}");
        CPPUNIT_ASSERT_EQUAL(400, self.status);
        CPPUNIT_ASSERT_EQUAL(404, put("/Users/no-such-user", R"({"userName":"x"})").status);
        CPPUNIT_ASSERT_EQUAL(
            412, request("DELETE", "/Users/" + id, "", {{"If-Match", "W/\"1\""}}).status);
        CPPUNIT_ASSERT_EQUAL(
            204, request("DELETE", "/Users/" + id, "", {{"If-Match", "W/\"2\""}}).status);

        // Groups answer conditional GETs the same way.
        const auto group = request(
            "POST", "/Groups",
            R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"etag-group"})");
        const std::string groupPath = "/Groups/" + json(group.body)->getValue<std::string>("id");
        const auto unchanged = get(groupPath, {{"If-None-Match", group.header("etag")}});
        CPPUNIT_ASSERT_EQUAL(304, unchanged.status);
        CPPUNIT_ASSERT_EQUAL(group.header("etag"), unchanged.header("etag"));
        CPPUNIT_ASSERT_EQUAL(304, get(groupPath, {{"If-None-Match", "*"}}).status);
        CPPUNIT_ASSERT_EQUAL(200, get(groupPath, {{"If-None-Match", "W/\"7\""}}).status);
    }

    void searchesWithPost() {
        post(R"({"userName":"search-a","title":"Pilot"})");
        post(R"({"userName":"search-b","title":"Pilot"})");
        post(R"({"userName":"search-c","title":"Cook"})");
        const auto result =
            request("POST", "/Users/.search",
                    R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
                                        "filter":"title eq \"pilot\"","sortBy":"userName","sortOrder":"descending",
                                        "attributes":["userName"],"startIndex":1,"count":10})");
        CPPUNIT_ASSERT_EQUAL(200, result.status);
        const auto list = json(result.body);
        CPPUNIT_ASSERT_EQUAL(2, list->getValue<int>("totalResults"));
        const auto first = list->getArray("Resources")->getObject(0);
        CPPUNIT_ASSERT_EQUAL(std::string("search-b"), first->getValue<std::string>("userName"));
        CPPUNIT_ASSERT(!first->has("title"));
        CPPUNIT_ASSERT_EQUAL(405, get("/Users/.search").status);
    }

    void bindsUsersTimAlreadyHas() {
        std::string out;
        std::string err;
        CPPUNIT_ASSERT_EQUAL_MESSAGE(
            err, 0, _host->runCommand("scim.user.create-local", {"legacy.user"}, out, err));
        const std::string legacy = Poco::trim(out);
        CPPUNIT_ASSERT_EQUAL(200, get("/Users/" + legacy).status);  // unmanaged, unprotected
        const auto bound =
            post(R"({"userName":"LEGACY.USER","externalId":"entra-1","displayName":"Legacy"})");
        CPPUNIT_ASSERT_EQUAL(201, bound.status);
        const auto doc = json(bound.body);
        CPPUNIT_ASSERT_EQUAL(legacy, doc->getValue<std::string>("id"));
        CPPUNIT_ASSERT_EQUAL(std::string("entra-1"), doc->getValue<std::string>("externalId"));
        // Managed now: its userName is taken, with or without an externalId (RFC 7644 §3.3).
        CPPUNIT_ASSERT_EQUAL(409,
                             post(R"({"userName":"legacy.user","externalId":"entra-2"})").status);
        CPPUNIT_ASSERT_EQUAL(409, post(R"({"userName":"legacy.user"})").status);

        CPPUNIT_ASSERT_EQUAL_MESSAGE(
            err, 0,
            _host->runCommand("scim.user.create-local", {"old-name", "--email", "Mail@Example.com"},
                              out, err));
        const std::string byEmail = Poco::trim(out);
        const auto rebound = post(
            R"({"userName":"new-name@example.com","externalId":"entra-3","emails":[{"type":"work","value":"mail@example.com"}]})");
        CPPUNIT_ASSERT_EQUAL(201, rebound.status);
        CPPUNIT_ASSERT_EQUAL(byEmail, json(rebound.body)->getValue<std::string>("id"));
        // Emails are not unique: a second user with that email is a new user.
        const auto third = post(
            R"({"userName":"third","externalId":"entra-4","emails":[{"type":"work","value":"MAIL@example.com"}]})");
        CPPUNIT_ASSERT_EQUAL(201, third.status);
        CPPUNIT_ASSERT(json(third.body)->getValue<std::string>("id") != byEmail);
        CPPUNIT_ASSERT_EQUAL(409,
                             post(R"({"userName":"SYS.SCIM"})").status);  // the system identity
        CPPUNIT_ASSERT_EQUAL(0, _host->runCommand("scim.audit", {legacy}, out, err));
        CPPUNIT_ASSERT_MESSAGE(out, out.find("  bind  User  " + legacy) != std::string::npos &&
                                        out.find("outcome=by-username") != std::string::npos);
    }

    void refusesBadInput() {
        const std::pair<std::string, std::string> cases[] = {
            {"{not json", "invalidSyntax"},
            {"[]", "invalidSyntax"},
            {R"({"name":{"givenName":"g"}})", "invalidValue"},
            {R"({"userName":"x","active":"maybe"})", "invalidValue"},
            {R"({"userName":"x","emails":[{"primary":true,"value":"a"},{"primary":true,"value":"b"}]})",
             "invalidValue"},
            {R"({"userName":["x"]})", "invalidValue"},
        };
        for (const auto& c : cases) {
            const auto result = post(c.first);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.first, 400, result.status);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.first, c.second,
                                         json(result.body)->getValue<std::string>("scimType"));
        }
        const auto huge = post(R"({"userName":"huge","title":")" + std::string(70000, 'x') + "\"}");
        CPPUNIT_ASSERT_EQUAL(413, huge.status);
        const auto withPassword = post(R"({"userName":"pw-user","password":"S3cret-Passw0rd"})");
        CPPUNIT_ASSERT_EQUAL(201, withPassword.status);
        CPPUNIT_ASSERT(withPassword.body.find("S3cret") == std::string::npos);
        CPPUNIT_ASSERT_EQUAL(
            0,
            json(get("/Users?filter=userName+eq+%22huge%22").body)->getValue<int>("totalResults"));
        CPPUNIT_ASSERT(_host->log().find("S3cret") == std::string::npos);
    }

    void returnsTheManagerAsAReference() {
        const std::string enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
        const auto boss = json(post(R"({"userName":"boss","displayName":"The Boss"})").body);
        const std::string bossId = boss->getValue<std::string>("id");
        const auto worker = json(post(R"({"userName":"worker",")" + enterprise +
                                      R"(":{"manager":")" + bossId + R"(","department":"Ops"}})")
                                     .body);
        const auto manager = worker->getObject(enterprise)->getObject("manager");
        CPPUNIT_ASSERT_EQUAL(bossId, manager->getValue<std::string>("value"));
        CPPUNIT_ASSERT_EQUAL(std::string("The Boss"),
                             manager->getValue<std::string>("displayName"));
        CPPUNIT_ASSERT(manager->getValue<std::string>("$ref").find("/Users/" + bossId) !=
                       std::string::npos);
        const auto filtered =
            json(get("/Users?filter=id+eq+%22" + worker->getValue<std::string>("id") +
                     "%22+and+manager+eq+%22" + bossId + "%22")
                     .body);
        CPPUNIT_ASSERT_EQUAL(1, filtered->getValue<int>("totalResults"));
        // A manager that is not (yet) a user is kept as sent.
        const auto early = post(R"({"userName":"early",")" + enterprise +
                                R"(":{"manager":[{"value":"not-yet"}]}})");
        CPPUNIT_ASSERT_EQUAL(201, early.status);
        CPPUNIT_ASSERT_EQUAL(std::string("not-yet"), json(early.body)
                                                         ->getObject(enterprise)
                                                         ->getObject("manager")
                                                         ->getValue<std::string>("value"));
        CPPUNIT_ASSERT(_host->log().find("manager not-yet of user early is not a known user") !=
                       std::string::npos);
    }

  private:
    void replay(const std::string& fixture) {
        testing::FixtureReplay(*_host, kBase, _auth["Authorization"].substr(7)).run(fixture);
    }

    testing::HttpResult request(const std::string& method, const std::string& path,
                                const std::string& body,
                                std::map<std::string, std::string> headers = {}) {
        headers.insert(_auth.begin(), _auth.end());
        if (!body.empty()) {
            headers["Content-Type"] = "application/scim+json";
        }
        return _host->request(method, kBase + path, body, headers);
    }
    testing::HttpResult get(const std::string& path,
                            std::map<std::string, std::string> headers = {}) {
        return request("GET", path, "", std::move(headers));
    }
    testing::HttpResult post(const std::string& body) { return request("POST", "/Users", body); }
    // The id of a user created with only a userName.
    std::string newUser(const std::string& userName) {
        return json(post(R"({"userName":")" + userName + R"("})").body)
            ->getValue<std::string>("id");
    }
    // The id of a group created with these members.
    std::string newGroup(const std::string& displayName, const std::vector<std::string>& members) {
        std::string values;
        for (const auto& id : members) {
            values += (values.empty() ? "" : ",") + std::string(R"({"value":")") + id + "\"}";
        }
        const auto created =
            request("POST", "/Groups",
                    R"({"displayName":")" + displayName + R"(","members":[)" + values + "]}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 201, created.status);
        return json(created.body)->getValue<std::string>("id");
    }
    // The TIM roles user `id` holds, comma-separated.
    std::string rolesOf(const std::string& id) {
        const auto tim = json(get("/Users/" + id).body)
                             ->getObject("urn:ietf:params:scim:schemas:extension:tim:2.0:User");
        const auto roles = tim ? tim->getArray("roles") : nullptr;
        std::string names;
        for (std::size_t i = 0; roles && i < roles->size(); ++i) {
            names += (names.empty() ? "" : ",") + roles->getElement<std::string>(i);
        }
        return names;
    }
    testing::HttpResult put(const std::string& path, const std::string& body,
                            std::map<std::string, std::string> headers = {}) {
        return request("PUT", path, body, std::move(headers));
    }

    std::unique_ptr<HostProcess> _host;
    std::map<std::string, std::string> _auth;
};

class UsersSQLiteTest : public UsersContract {
    CPPUNIT_TEST_SUB_SUITE(UsersSQLiteTest, UsersContract);
    CPPUNIT_TEST_SUITE_END();

  public:
    std::map<std::string, std::string> databaseProperties() override { return {}; }
};

class UsersMariaDBTest : public UsersContract {
    CPPUNIT_TEST_SUB_SUITE(UsersMariaDBTest, UsersContract);
    CPPUNIT_TEST_SUITE_END();

  public:
    std::map<std::string, std::string> databaseProperties() override {
        const auto server = testing::MariaDBServer::fromEnvironment();
        return server.hostProperties(
            server.freshDatabase("tim_e2e_users_" + std::to_string(Poco::Process::id())));
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(UsersSQLiteTest, "UsersSQLiteTest");
CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(UsersMariaDBTest, "UsersMariaDBTest");
