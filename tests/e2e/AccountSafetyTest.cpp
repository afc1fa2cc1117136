// A SCIM token reaches provisioning, never a TIM administrator: protected accounts out of reach,
// binding safe and unambiguous, passwords never stored or echoed in any attribute form, the
// restore after a TIM-side deletion limited to what SCIM made, control characters refused.
// Over HTTP through timhost, on SQLite and on the test MariaDB.
#include "support/AccountFixture.h"

#include <Poco/Data/Session.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/String.h>

#include <cppunit/extensions/HelperMacros.h>

using testing::HostProcess;
using namespace Poco::Data::Keywords;

namespace {

using testing::Credentials;
using testing::idOf;

const std::string kCore = "urn:ietf:params:scim:schemas:core:2.0:User";
const std::string kSecret = "Cl3ar-Pa55word";

Poco::JSON::Object::Ptr json(const std::string& text) {
    return testing::jsonObject(text);
}

}  // namespace

class AccountSafetyContract : public CppUnit::TestFixture, public testing::AccountFixture {
    CPPUNIT_TEST_SUITE(AccountSafetyContract);
    CPPUNIT_TEST(protectedAccountsAreOutOfReach);
    CPPUNIT_TEST(aBindKeepsPasswordAndTimRoles);
    CPPUNIT_TEST(aWriteToAnUnmanagedAccountBindsIt);
    CPPUNIT_TEST(aManagedAccountStaysManagedWhateverTimGrants);
    CPPUNIT_TEST(bindingModes);
    CPPUNIT_TEST(duplicateUserNamesConflictAndEmailsAreNotUnique);
    CPPUNIT_TEST(passwordsAreNeverStoredOrReturned);
    CPPUNIT_TEST(restoreBringsBackOnlyWhatScimMade);
    CPPUNIT_TEST(controlCharactersAreRefused);
    CPPUNIT_TEST_SUITE_END_ABSTRACT();

  public:
    void setUp() override { startHost({}); }

    void tearDown() override { _host.reset(); }

    void protectedAccountsAreOutOfReach() {
        const std::string admin =
            createLocal({"Admin2", "--email", "boss@corp.example", "--roles", "admin"});
        const std::string timer = createLocal({"robot", "--roles", "timer"});  // internal role
        const Credentials before = credentials(admin);
        for (const auto& id : {admin, timer}) {
            CPPUNIT_ASSERT_EQUAL(404, request("GET", "/Users/" + id).status);
            CPPUNIT_ASSERT_EQUAL(
                404,
                request("PUT", "/Users/" + id, R"({"userName":"Admin2","active":false})").status);
            CPPUNIT_ASSERT_EQUAL(
                404,
                request("PATCH", "/Users/" + id,
                        R"({"Operations":[{"op":"replace","value":{"active":false,"password":")" +
                            kSecret + R"("}}]})")
                    .status);
            CPPUNIT_ASSERT_EQUAL(404, request("DELETE", "/Users/" + id).status);
        }
        // Absent from lists, filters and searches.
        CPPUNIT_ASSERT_EQUAL(0, total("/Users?filter=userName%20eq%20%22admin2%22"));
        CPPUNIT_ASSERT_EQUAL(0,
                             total("/Users?filter=urn:ietf:params:scim:schemas:extension:tim:1.0:"
                                   "User:email%20eq%20%22boss@corp.example%22"));
        CPPUNIT_ASSERT_EQUAL(0, total("/Users?filter=id%20eq%20%22" + admin + "%22"));
        const auto everyone = request("GET", "/Users?count=1000");
        CPPUNIT_ASSERT(everyone.body.find(admin) == std::string::npos);
        CPPUNIT_ASSERT(everyone.body.find(timer) == std::string::npos);
        const auto search =
            request("POST", "/Users/.search", R"({"filter":"userName sw \"ad\"","count":10})");
        CPPUNIT_ASSERT_EQUAL(200, search.status);
        CPPUNIT_ASSERT_EQUAL(0, json(search.body)->getValue<int>("totalResults"));

        // A create with its userName, in any case, is a conflict that names no account.
        const auto takeover =
            request("POST", "/Users",
                    R"({"userName":"ADMIN2","externalId":"x-1","password":")" + kSecret + "\"}");
        CPPUNIT_ASSERT_EQUAL(409, takeover.status);
        CPPUNIT_ASSERT_EQUAL(std::string("uniqueness"),
                             json(takeover.body)->getValue<std::string>("scimType"));
        CPPUNIT_ASSERT(takeover.body.find("protected TIM account") != std::string::npos);
        CPPUNIT_ASSERT(takeover.body.find(admin) == std::string::npos);
        CPPUNIT_ASSERT(_host->log().find("belongs to a protected TIM account") !=
                       std::string::npos);
        CPPUNIT_ASSERT(audit(admin).find("refuse  User  " + admin) != std::string::npos);

        // An email match with it is no match: a new user, the administrator untouched.
        const auto byEmail = request(
            "POST", "/Users",
            R"({"userName":"attacker","externalId":"x-2","emails":[{"type":"work","value":"BOSS@corp.example"}]})");
        CPPUNIT_ASSERT_EQUAL(201, byEmail.status);
        CPPUNIT_ASSERT(idOf(byEmail) != admin);
        // Nor can a group reach it: the member is ignored, no role flows to it.
        const auto group = request(
            "POST", "/Groups",
            R"({"displayName":"role.processmanager","members":[{"value":")" + admin + R"("}]})");
        CPPUNIT_ASSERT_EQUAL(201, group.status);
        const auto listed = json(group.body)->getArray("members");
        CPPUNIT_ASSERT_MESSAGE(group.body, !listed || listed->size() == 0);
        // Nor can a PATCH of another user rename it away or take its name.
        const auto rename =
            request("PATCH", "/Users/" + idOf(byEmail),
                    R"({"Operations":[{"op":"replace","path":"userName","value":"admin2"}]})");
        CPPUNIT_ASSERT_EQUAL(409, rename.status);
        CPPUNIT_ASSERT_MESSAGE(rename.body, rename.body.find(admin) == std::string::npos);
        CPPUNIT_ASSERT(before == credentials(admin));
        CPPUNIT_ASSERT_EQUAL(std::string("admin"), timRoles(admin));
    }

    void aBindKeepsPasswordAndTimRoles() {
        const std::string carol =
            createLocal({"carol", "--email", "carol@corp.example", "--roles", "processmanager"});
        CPPUNIT_ASSERT_EQUAL(200, request("GET", "/Users/" + carol).status);  // unprotected
        const Credentials before = credentials(carol);
        const auto bound = request(
            "POST", "/Users", R"({"userName":"Carol","externalId":"e-c","displayName":"Carol C"})");
        CPPUNIT_ASSERT_EQUAL(201, bound.status);
        CPPUNIT_ASSERT_EQUAL(carol, idOf(bound));
        const Credentials after = credentials(carol);
        CPPUNIT_ASSERT_EQUAL(before.hash, after.hash);
        CPPUNIT_ASSERT_EQUAL(1, after.mustChange);
        CPPUNIT_ASSERT_EQUAL(std::string("Carol"), after.userName);
        CPPUNIT_ASSERT_EQUAL(std::string("processmanager"), timRoles(carol));
        const std::string history = audit(carol);
        CPPUNIT_ASSERT_MESSAGE(history,
                               history.find("tim-create  User  " + carol) != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(history,
                               history.find("bind  User  " + carol) != std::string::npos &&
                                   history.find("outcome=by-username") != std::string::npos);
    }

    void aWriteToAnUnmanagedAccountBindsIt() {
        const std::string frank = createLocal({"frank"});
        const Credentials before = credentials(frank);
        const auto patched = request(
            "PATCH", "/Users/" + frank,
            R"({"Operations":[{"op":"replace","value":{"externalId":"e-f","active":"False"}}]})");
        CPPUNIT_ASSERT_EQUAL(200, patched.status);
        CPPUNIT_ASSERT_EQUAL(before.hash, credentials(frank).hash);
        CPPUNIT_ASSERT_EQUAL(0, credentials(frank).active);
        CPPUNIT_ASSERT_EQUAL(1, credentials(frank).managed);
        CPPUNIT_ASSERT(audit(frank).find("bind  User  " + frank) != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(409, request("POST", "/Users", R"({"userName":"frank"})").status);
    }

    void aManagedAccountStaysManagedWhateverTimGrants() {
        const std::string leaver = idOf(request("POST", "/Users", R"({"userName":"leaver"})"));
        {
            // TIM makes the provisioned user an administrator.
            Poco::Data::Session session = database();
            std::string id = leaver;
            session << "INSERT INTO tim_user_role (user_id, role_key, source) VALUES (?, "
                       "'admin', 'tim')",
                use(id), now;
        }
        CPPUNIT_ASSERT_EQUAL(200, request("GET", "/Users/" + leaver).status);
        // Entra must still disable an administrator who leaves.
        CPPUNIT_ASSERT_EQUAL(
            200, request("PATCH", "/Users/" + leaver,
                         R"({"Operations":[{"op":"Replace","path":"active","value":"False"}]})")
                     .status);
        CPPUNIT_ASSERT_EQUAL(0, credentials(leaver).active);
        CPPUNIT_ASSERT_EQUAL(std::string("admin"), timRoles(leaver));
    }

    void bindingModes() {
        startHost({{"scim.binding", "userName"}});
        const std::string dana = createLocal({"dana", "--email", "dana@corp.example"});
        const auto byEmail = request(
            "POST", "/Users",
            R"({"userName":"d.new","emails":[{"type":"work","value":"dana@corp.example"}]})");
        CPPUNIT_ASSERT_EQUAL(201, byEmail.status);
        CPPUNIT_ASSERT(idOf(byEmail) != dana);
        CPPUNIT_ASSERT_EQUAL(dana, idOf(request("POST", "/Users", R"({"userName":"DANA"})")));

        startHost({{"scim.binding", "off"}});
        const std::string erin = createLocal({"erin"});
        CPPUNIT_ASSERT_EQUAL(409, request("POST", "/Users", R"({"userName":"erin"})").status);

        startHost({});  // userNameOrEmail: by email when exactly one account has it
        const std::string one = createLocal({"one", "--email", "solo@corp.example"});
        const std::string two = createLocal({"two", "--email", "shared@corp.example"});
        const std::string three = createLocal({"three", "--email", "shared@corp.example"});
        CPPUNIT_ASSERT_EQUAL(
            one,
            idOf(request(
                "POST", "/Users",
                R"({"userName":"n1","emails":[{"type":"work","value":"Solo@corp.example"}]})")));
        const auto ambiguous = request(
            "POST", "/Users",
            R"({"userName":"n2","emails":[{"type":"work","value":"shared@corp.example"}]})");
        CPPUNIT_ASSERT_EQUAL(201, ambiguous.status);
        CPPUNIT_ASSERT(idOf(ambiguous) != two && idOf(ambiguous) != three);  // a new user
        CPPUNIT_ASSERT_EQUAL(std::string("two"), credentials(two).userName);
    }

    void duplicateUserNamesConflictAndEmailsAreNotUnique() {
        CPPUNIT_ASSERT_EQUAL(201, request("POST", "/Users", R"({"userName":"plain"})").status);
        const auto again = request("POST", "/Users", R"({"userName":"PLAIN"})");
        CPPUNIT_ASSERT_EQUAL(409, again.status);
        CPPUNIT_ASSERT_EQUAL(std::string("uniqueness"),
                             json(again.body)->getValue<std::string>("scimType"));
        const std::string shared = R"("emails":[{"type":"work","value":"team@corp.example"}])";
        CPPUNIT_ASSERT_EQUAL(
            201, request("POST", "/Users", R"({"userName":"s1","externalId":"s1",)" + shared + "}")
                     .status);
        CPPUNIT_ASSERT_EQUAL(
            201, request("POST", "/Users", R"({"userName":"s2","externalId":"s2",)" + shared + "}")
                     .status);
        CPPUNIT_ASSERT_EQUAL(2,
                             total("/Users?filter=emails%5Btype%20eq%20%22work%22%5D.value%20eq%20"
                                   "%22team@corp.example%22"));
        CPPUNIT_ASSERT_EQUAL(201, request("POST", "/Groups", R"({"displayName":"Crew"})").status);
        CPPUNIT_ASSERT_EQUAL(409, request("POST", "/Groups", R"({"displayName":"CREW"})").status);
        const auto two = request(
            "POST", "/Users",
            R"({"userName":"w2","emails":[{"type":"work","value":"a@x.example"},{"type":"work","value":"b@x.example","primary":true}]})");
        CPPUNIT_ASSERT_EQUAL(201, two.status);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), json(two.body)->getArray("emails")->size());
    }

    void passwordsAreNeverStoredOrReturned() {
        std::string answers;
        auto send = [&](const std::string& method, const std::string& path,
                        const std::string& body) {
            const auto result = request(method, path, body);
            CPPUNIT_ASSERT_MESSAGE(method + " " + path + " " + result.body,
                                   result.status == 200 || result.status == 201);
            answers += result.body;
            return result;
        };
        int n = 0;
        for (const std::string& form :
             {std::string(R"("password":"SECRET")"), R"(")" + kCore + R"(:password":"SECRET")",
              R"(")" + kCore + R"(":{"password":"SECRET"})"}) {
            const std::string secret = kSecret + std::to_string(n);
            const std::string body = Poco::replace(form, std::string("SECRET"), secret);
            const std::string name = "pw" + std::to_string(n++);
            const std::string id =
                idOf(send("POST", "/Users", R"({"userName":")" + name + R"(",)" + body + "}"));
            const std::string hash = credentials(id).hash;
            send("PUT", "/Users/" + id, R"({"userName":")" + name + R"(",)" + body + "}");
            CPPUNIT_ASSERT(credentials(id).hash != hash);  // it reached the hash
            const std::string patchBody = R"({"Operations":[{"op":"replace","value":{)" +
                                          Poco::replace(body, secret, secret + "p") + "}}]}";
            send("PATCH", "/Users/" + id, patchBody);
            send("PATCH", "/Users/" + id,
                 R"({"Operations":[{"op":"replace","path":")" + kCore + R"(:password","value":")" +
                     secret + R"(q"}]})");
            send("GET", "/Users/" + id, "");
            send("GET", "/Users/" + id + "?attributes=password," + kCore + ":password", "");
        }
        send("GET", "/Users?count=100", "");
        CPPUNIT_ASSERT_MESSAGE(answers, answers.find(kSecret) == std::string::npos);
        Poco::Data::Session session = database();
        const std::string stored = testing::everyStoredValue(session);
        CPPUNIT_ASSERT(stored.find("pw2") != std::string::npos);  // the dump sees the rows
        CPPUNIT_ASSERT_MESSAGE(stored, stored.find(kSecret) == std::string::npos);
        CPPUNIT_ASSERT(_host->log().find(kSecret) == std::string::npos);
    }

    void restoreBringsBackOnlyWhatScimMade() {
        const std::string gina = createLocal({"gina", "--roles", "processmanager"});
        CPPUNIT_ASSERT_EQUAL(
            gina, idOf(request("POST", "/Users", R"({"userName":"gina","externalId":"e-g"})")));
        CPPUNIT_ASSERT_EQUAL(
            201, request("POST", "/Groups",
                         R"({"displayName":"role.workflow-designer","members":[{"value":")" + gina +
                             R"("}]})")
                     .status);
        CPPUNIT_ASSERT_EQUAL(std::string("processmanager,workflow-designer"), roles(gina));
        std::string out;
        std::string err;
        CPPUNIT_ASSERT_EQUAL_MESSAGE(err, 0,
                                     _host->runCommand("scim.user.delete", {gina}, out, err));
        CPPUNIT_ASSERT(audit(gina).find("tim-delete  User  " + gina) != std::string::npos);
        const std::string again =
            idOf(request("POST", "/Users", R"({"userName":"gina","externalId":"e-g"})"));
        // The role group's role comes back with the membership; TIM's own grant does not.
        CPPUNIT_ASSERT_EQUAL(std::string("workflow-designer"), roles(again));
    }

    void controlCharactersAreRefused() {
        for (const char* body : {R"({"userName":"alice\u0000"})", R"({"userName":"al\nice"})",
                                 R"({"userName":"bob","externalId":"e\u001b[31m"})",
                                 R"({"userName":"bob","displayName":"Bob\u007f"})"}) {
            const auto refused = request("POST", "/Users", body);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(body, 400, refused.status);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(body, std::string("invalidValue"),
                                         json(refused.body)->getValue<std::string>("scimType"));
        }
        CPPUNIT_ASSERT_EQUAL(400,
                             request("POST", "/Groups", R"({"displayName":"team\u0007"})").status);
        CPPUNIT_ASSERT_EQUAL(
            400,
            request("POST", "/Groups", R"({"displayName":"team","members":[{"value":"a\u0000"}]})")
                .status);
        CPPUNIT_ASSERT_EQUAL(400, request("GET", "/Users/abc%00def").status);
        CPPUNIT_ASSERT_EQUAL(400, request("GET", "/Groups/abc%0Adef").status);
        CPPUNIT_ASSERT_EQUAL(0, total("/Users"));
    }
};

class AccountSafetySQLiteTest : public testing::OnSQLite<AccountSafetyContract> {
    CPPUNIT_TEST_SUB_SUITE(AccountSafetySQLiteTest, AccountSafetyContract);
    CPPUNIT_TEST_SUITE_END();
};

class AccountSafetyMariaDBTest : public testing::OnMariaDB<AccountSafetyContract> {
    CPPUNIT_TEST_SUB_SUITE(AccountSafetyMariaDBTest, AccountSafetyContract);
    CPPUNIT_TEST_SUITE_END();

  public:
    AccountSafetyMariaDBTest() : OnMariaDB("tim_e2e_safety_") {}
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(AccountSafetySQLiteTest, "AccountSafetySQLiteTest");
CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(AccountSafetyMariaDBTest, "AccountSafetyMariaDBTest");
