// A SCIM token never sets a credential SCIM did not create (issue 30): passwords only on
// accounts SCIM created that hold no protected role, in every attribute form and through
// /Bulk; everything else Entra needs still works on the others; a deleted id is never given
// to another person. Over HTTP through timhost, on SQLite and on the test MariaDB.
#include "support/AccountFixture.h"

#include <Poco/JSON/Array.h>

#include <cppunit/extensions/HelperMacros.h>

#include <unistd.h>

#include <fstream>
#include <iostream>
#include <sstream>

using namespace Poco::Data::Keywords;
using testing::Credentials;
using testing::idOf;
using testing::jsonObject;

namespace {

const std::string kCore = "urn:ietf:params:scim:schemas:core:2.0:User";
const std::string kSecret = "Cl3ar-Pa55word-30";

// Every way a client can carry a password: PATCH with a path, path-less, under the core URN,
// and PUT; each must be refused whole.
std::vector<std::pair<std::string, std::string>> passwordWrites(const std::string& userName) {
    return {
        {"PATCH",
         R"({"Operations":[{"op":"replace","path":"password","value":")" + kSecret + R"("}]})"},
        {"PATCH", R"({"Operations":[{"op":"Replace","value":{"displayName":"New","password":")" +
                      kSecret + R"("}}]})"},
        {"PATCH", R"({"Operations":[{"op":"add","path":")" + kCore + R"(:password","value":")" +
                      kSecret + R"("}]})"},
        {"PUT", R"({"userName":")" + userName + R"(","displayName":"New",")" + kCore +
                    R"(":{"password":")" + kSecret + R"("}})"},
    };
}

std::string bulkOf(const std::string& operations) {
    return R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[)" +
           operations + "]}";
}

}  // namespace

class CredentialsContract : public CppUnit::TestFixture, public testing::AccountFixture {
    CPPUNIT_TEST_SUITE(CredentialsContract);
    CPPUNIT_TEST(aManagedAdministratorKeepsItsPasswordAndCanBeDisabled);
    CPPUNIT_TEST(boundAndLocalAccountsKeepTheirPassword);
    CPPUNIT_TEST(accountsScimCreatedTakeItsPasswords);
    CPPUNIT_TEST(aDeletedIdIsNeverGivenToAnother);
    CPPUNIT_TEST(groupWritesLeaveHiddenAccountsAlone);
    CPPUNIT_TEST(nestedRoleGroupsNeverReachHiddenAccounts);
    CPPUNIT_TEST(passwordsCostOnlyAfterEveryCheck);
    CPPUNIT_TEST_SUITE_END_ABSTRACT();

  public:
    void setUp() override { startHost({}); }
    void tearDown() override { _host.reset(); }

    void aManagedAdministratorKeepsItsPasswordAndCanBeDisabled() {
        const std::string leaver = idOf(request(
            "POST", "/Users", R"({"userName":"leaver","externalId":"e-l","password":"First-1x"})"));
        grantInTim(leaver, "admin");  // TIM's UI makes the provisioned user an administrator
        const Credentials before = credentials(leaver);
        expectPasswordRefused(leaver, "leaver", "protected TIM role");
        // The refusal is audited, and logged as a warning.
        const std::string history = audit(leaver);
        CPPUNIT_ASSERT_MESSAGE(history,
                               history.find("refuse  User  " + leaver) != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(history,
                               history.find("outcome=protected-role") != std::string::npos);
        CPPUNIT_ASSERT(_host->log().find("refused 403") != std::string::npos);
        CPPUNIT_ASSERT(before == credentials(leaver));
        // Entra must still disable an administrator who leaves, and change its attributes.
        CPPUNIT_ASSERT_EQUAL(
            200, request("PATCH", "/Users/" + leaver,
                         R"({"Operations":[{"op":"Replace","path":"active","value":"False"}]})")
                     .status);
        CPPUNIT_ASSERT_EQUAL(0, credentials(leaver).active);
        CPPUNIT_ASSERT_EQUAL(before.hash, credentials(leaver).hash);
        CPPUNIT_ASSERT_EQUAL(std::string("admin"), timRoles(leaver));
        CPPUNIT_ASSERT_EQUAL(204, request("DELETE", "/Users/" + leaver).status);
    }

    void boundAndLocalAccountsKeepTheirPassword() {
        const std::string carol = createLocal({"carol", "--email", "carol@corp.example"});
        const Credentials local = credentials(carol);
        CPPUNIT_ASSERT_EQUAL(0, local.managed);
        // A bind that carries a password is refused whole: carol stays TIM's.
        const auto bindWithPassword =
            request("POST", "/Users",
                    R"({"userName":"Carol","externalId":"e-c","password":")" + kSecret + "\"}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(bindWithPassword.body, 403, bindWithPassword.status);
        CPPUNIT_ASSERT(local == credentials(carol));
        CPPUNIT_ASSERT(audit(carol).find("outcome=tim-created") != std::string::npos);
        // One /Bulk that binds and then sets the password: the bind, and only the bind.
        const auto bulk = request(
            "POST", "/Bulk",
            bulkOf(
                R"({"method":"POST","path":"/Users","bulkId":"c","data":{"userName":"carol","externalId":"e-c"}},)"
                R"({"method":"PATCH","path":"/Users/bulkId:c","data":{"Operations":[{"op":"replace","path":"password","value":")" +
                kSecret + R"("}]}})"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(bulk.body, 200, bulk.status);
        const auto results = jsonObject(bulk.body)->getArray("Operations");
        CPPUNIT_ASSERT_EQUAL(std::string("201"),
                             results->getObject(0)->getValue<std::string>("status"));
        CPPUNIT_ASSERT_EQUAL(std::string("403"),
                             results->getObject(1)->getValue<std::string>("status"));
        const Credentials bound = credentials(carol);
        CPPUNIT_ASSERT_EQUAL(1, bound.managed);
        CPPUNIT_ASSERT_EQUAL(local.hash, bound.hash);
        expectPasswordRefused(carol, "carol", "created in TIM");
        CPPUNIT_ASSERT_EQUAL(local.hash, credentials(carol).hash);
        CPPUNIT_ASSERT_EQUAL(local.mustChange, credentials(carol).mustChange);
        // Attributes, disable and delete still work on it.
        CPPUNIT_ASSERT_EQUAL(
            200, request("PATCH", "/Users/" + carol,
                         R"({"Operations":[{"op":"replace","path":"active","value":false}]})")
                     .status);
        CPPUNIT_ASSERT_EQUAL(204, request("DELETE", "/Users/" + carol).status);

        // A local account's first write with a password binds nothing and sets nothing.
        const std::string frank = createLocal({"frank"});
        const Credentials franks = credentials(frank);
        const auto patched =
            request("PATCH", "/Users/" + frank,
                    R"({"Operations":[{"op":"replace","value":{"externalId":"e-f","password":")" +
                        kSecret + R"("}}]})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(patched.body, 403, patched.status);
        CPPUNIT_ASSERT(franks == credentials(frank));  // still unmanaged, same password
        CPPUNIT_ASSERT(
            jsonObject(request("GET", "/Users/" + frank).body)->get("externalId").isEmpty());
    }

    void accountsScimCreatedTakeItsPasswords() {
        const std::string id = idOf(request(
            "POST", "/Users", R"({"userName":"made","externalId":"e-m","password":"First-1x"})"));
        const Credentials created = credentials(id);
        CPPUNIT_ASSERT_EQUAL(0, created.mustChange);
        // What ServiceProviderConfig says is what the server does.
        CPPUNIT_ASSERT(jsonObject(request("GET", "/ServiceProviderConfig").body)
                           ->getObject("changePassword")
                           ->getValue<bool>("supported"));
        for (const auto& write : passwordWrites("made")) {
            const std::string hash = credentials(id).hash;
            const auto result = request(write.first, "/Users/" + id, write.second);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(write.second + " " + result.body, 200, result.status);
            CPPUNIT_ASSERT(credentials(id).hash != hash);
        }
    }

    void aDeletedIdIsNeverGivenToAnother() {
        const std::string group =
            idOf(request("POST", "/Groups", R"({"displayName":"role.processmanager"})"));
        const auto join = [&](const std::string& user) {
            CPPUNIT_ASSERT_EQUAL(
                204, request("PATCH", "/Groups/" + group,
                             R"({"Operations":[{"op":"add","path":"members","value":[{"value":")" +
                                 user + R"("}]}]})")
                         .status);
        };
        const std::string alice = idOf(
            request("POST", "/Users", R"({"userName":"alice","externalId":"a-1","title":"Boss"})"));
        join(alice);
        CPPUNIT_ASSERT_EQUAL(std::string("processmanager"), roles(alice));
        CPPUNIT_ASSERT_EQUAL(204, request("DELETE", "/Users/" + alice).status);
        // Another person with the userName: a new id, nothing of the deleted one's.
        const auto other = request("POST", "/Users", R"({"userName":"Alice","externalId":"a-2"})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(other.body, 201, other.status);
        const std::string second = idOf(other);
        CPPUNIT_ASSERT(second != alice);
        CPPUNIT_ASSERT(!jsonObject(other.body)->has("title"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), roles(second));
        CPPUNIT_ASSERT_EQUAL(404, request("GET", "/Users/" + alice).status);
        CPPUNIT_ASSERT_EQUAL(
            404, request("PATCH", "/Users/" + alice,
                         R"({"Operations":[{"op":"replace","path":"title","value":"x"}]})")
                     .status);
        const auto members =
            jsonObject(request("GET", "/Groups/" + group).body)->getArray("members");
        CPPUNIT_ASSERT(!members || members->size() == 0);
        const std::string erased = audit(alice);
        CPPUNIT_ASSERT_MESSAGE(erased,
                               erased.find("purge  User  " + alice) != std::string::npos &&
                                   erased.find("outcome=username-reused") != std::string::npos);
        CPPUNIT_ASSERT(_host->log().find("deleted user " + alice) != std::string::npos);

        // The same directory object (its externalId) comes back as itself, with its groups.
        const std::string bob =
            idOf(request("POST", "/Users", R"({"userName":"bob","externalId":"b-1"})"));
        join(bob);
        CPPUNIT_ASSERT_EQUAL(204, request("DELETE", "/Users/" + bob).status);
        const auto back = request("POST", "/Users", R"({"userName":"BOB","externalId":"b-1"})");
        CPPUNIT_ASSERT_EQUAL(201, back.status);
        CPPUNIT_ASSERT_EQUAL(bob, idOf(back));
        CPPUNIT_ASSERT_EQUAL(std::string("processmanager"), roles(bob));
        CPPUNIT_ASSERT(audit(bob).find("revive  User  " + bob) != std::string::npos);

        // So too after a deletion in TIM: only the same externalId gets the memberships back.
        const std::string carl =
            idOf(request("POST", "/Users", R"({"userName":"carl","externalId":"c-1"})"));
        join(carl);
        std::string out;
        std::string err;
        CPPUNIT_ASSERT_EQUAL_MESSAGE(err, 0,
                                     _host->runCommand("scim.user.delete", {carl}, out, err));
        const std::string stranger =
            idOf(request("POST", "/Users", R"({"userName":"carl","externalId":"c-2"})"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), roles(stranger));
        CPPUNIT_ASSERT_EQUAL(204, request("DELETE", "/Users/" + stranger).status);
        const std::string returning =
            idOf(request("POST", "/Users", R"({"userName":"carl","externalId":"c-1"})"));
        CPPUNIT_ASSERT_EQUAL(std::string("processmanager"), roles(returning));
    }

    // An administrator TIM put into SCIM's groups stays there, unseen, whatever SCIM writes.
    void groupWritesLeaveHiddenAccountsAlone() {
        const std::string admin = createLocal({"admin2", "--roles", "admin"});
        const std::string user = idOf(request("POST", "/Users", R"({"userName":"visible"})"));
        const std::string finance =
            idOf(request("POST", "/Groups",
                         R"({"displayName":"finance","externalId":"g-f","members":[{"value":")" +
                             user + R"("}]})"));
        addInTim(finance, admin);
        const auto members = [&] {
            const auto array =
                jsonObject(request("GET", "/Groups/" + finance).body)->getArray("members");
            return array ? array->size() : 0;
        };
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), members());  // the administrator is not shown
        // Member filters never match it.
        CPPUNIT_ASSERT_EQUAL(0,
                             total("/Groups?filter=members%5Bvalue%20eq%20%22" + admin + "%22%5D"));
        CPPUNIT_ASSERT_EQUAL(0, total("/Groups?filter=members%20eq%20%22" + admin + "%22"));
        CPPUNIT_ASSERT_EQUAL(1,
                             total("/Groups?filter=members%5Bvalue%20eq%20%22" + user + "%22%5D"));
        // Removing it by id, removing all members, replacing them, a PUT: it stays.
        const std::string base = "/Groups/" + finance;
        for (const std::string& patch :
             {R"({"Operations":[{"op":"remove","path":"members","value":[{"value":")" + admin +
                  R"("}]}]})",
              std::string(R"({"Operations":[{"op":"remove","path":"members"}]})"),
              R"({"Operations":[{"op":"replace","path":"members","value":[{"value":")" + user +
                  R"("}]}]})"}) {
            const auto patched = request("PATCH", base, patch);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(patch + patched.body, 204, patched.status);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(patch, std::string("finance:managed"), groupsOf(admin));
        }
        CPPUNIT_ASSERT_EQUAL(
            200, request("PUT", base, R"({"displayName":"finance","externalId":"g-f"})").status);
        CPPUNIT_ASSERT_EQUAL(std::string("finance:managed"), groupsOf(admin));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), members());
        // A bind of a TIM group with members: [] keeps it too.
        const std::string ops = createGroupInTim("ops");
        addInTim(ops, admin);
        CPPUNIT_ASSERT_EQUAL(
            ops, idOf(request("POST", "/Groups", R"({"displayName":"ops","members":[]})")));
        CPPUNIT_ASSERT_EQUAL(std::string("finance:managed,ops:managed"), groupsOf(admin));
        // Deleting the group through SCIM: gone for SCIM, kept in TIM for the administrator.
        CPPUNIT_ASSERT_EQUAL(204, request("DELETE", base).status);
        CPPUNIT_ASSERT_EQUAL(404, request("GET", base).status);
        CPPUNIT_ASSERT_EQUAL(std::string("finance:unmanaged,ops:managed"), groupsOf(admin));
        CPPUNIT_ASSERT(audit(finance).find("outcome=kept-for-tim") != std::string::npos);
        // Entra creating it again binds to what TIM kept: a new id, the administrator still in.
        const std::string again =
            idOf(request("POST", "/Groups", R"({"displayName":"finance","externalId":"g-f2"})"));
        CPPUNIT_ASSERT(again != finance);
        CPPUNIT_ASSERT_EQUAL(std::string("finance:managed,ops:managed"), groupsOf(admin));
        CPPUNIT_ASSERT_EQUAL(std::string("admin"), roles(admin));
    }

    void nestedRoleGroupsNeverReachHiddenAccounts() {
        startHost({{"scim.roles.nested", "true"}});
        const std::string admin = createLocal({"admin3", "--roles", "admin"});
        const std::string user = idOf(request("POST", "/Users", R"({"userName":"member"})"));
        const std::string team = createGroupInTim("team");
        addInTim(team, admin);
        addInTim(team, user);
        const std::string role =
            idOf(request("POST", "/Groups", R"({"displayName":"role.processmanager"})"));
        const auto nest = R"({"Operations":[{"op":"add","path":"members","value":[{"value":")" +
                          team + R"("}]}]})";
        CPPUNIT_ASSERT_EQUAL(204, request("PATCH", "/Groups/" + role, nest).status);
        CPPUNIT_ASSERT_EQUAL(std::string("processmanager"), roles(user));
        CPPUNIT_ASSERT_EQUAL(std::string("admin"), roles(admin));
        CPPUNIT_ASSERT_EQUAL(204, request("DELETE", "/Groups/" + role).status);
        CPPUNIT_ASSERT_EQUAL(std::string(""), roles(user));
        CPPUNIT_ASSERT_EQUAL(std::string("admin"), roles(admin));
    }

    // Parsing, schema, uniqueness and reach come before a password is hashed; a /Bulk hashes at
    // most scim.bulk.maxPasswordOperations. Counted by the host's own metric; the host's CPU
    // time goes to the test's log.
    void passwordsCostOnlyAfterEveryCheck() {
        const std::string taken = idOf(request("POST", "/Users", R"({"userName":"taken"})"));
        const std::string admin = createLocal({"admin4", "--roles", "admin"});
        createLocal({"local4"});
        const double hashes = passwordHashes();
        const double cpuBefore = hostCpuSeconds();
        std::string conflicts;
        for (int i = 0; i < 20; ++i) {
            conflicts += std::string(i ? "," : "") +
                         R"({"method":"POST","path":"/Users","bulkId":"b)" + std::to_string(i) +
                         R"(","data":{"userName":"TAKEN","password":")" + kSecret + R"("}})";
        }
        const auto bulk = request("POST", "/Bulk", bulkOf(conflicts));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(bulk.body, 200, bulk.status);
        const auto results = jsonObject(bulk.body)->getArray("Operations");
        CPPUNIT_ASSERT_EQUAL(std::size_t(20), results->size());
        for (std::size_t i = 0; i < results->size(); ++i) {
            CPPUNIT_ASSERT_EQUAL(std::string("409"),
                                 results->getObject(i)->getValue<std::string>("status"));
        }
        // Refused for reach, for the credential rule, for bad input: nothing hashed either.
        const std::string password = R"(,"password":")" + kSecret + R"(")";
        CPPUNIT_ASSERT_EQUAL(
            409, request("POST", "/Users", R"({"userName":"admin4")" + password + "}").status);
        CPPUNIT_ASSERT_EQUAL(
            403, request("POST", "/Users", R"({"userName":"local4")" + password + "}").status);
        CPPUNIT_ASSERT_EQUAL(
            404,
            request("PUT", "/Users/" + admin, R"({"userName":"admin4")" + password + "}").status);
        CPPUNIT_ASSERT_EQUAL(
            400, request("POST", "/Users", R"({"active":true)" + password + "}").status);
        CPPUNIT_ASSERT_EQUAL(
            409,
            request("PUT", "/Users/" + taken, R"({"userName":"local4")" + password + "}").status);
        CPPUNIT_ASSERT_EQUAL(
            409, request("PATCH", "/Users/" + taken,
                         R"({"Operations":[{"op":"replace","value":{"userName":"LOCAL4")" +
                             password + "}}]}")
                     .status);
        CPPUNIT_ASSERT_EQUAL(hashes, passwordHashes());
        // More password operations than the budget: 413, and none runs.
        std::string many;
        for (int i = 0; i < 21; ++i) {
            many += std::string(i ? "," : "") + R"({"method":"POST","path":"/Users","bulkId":"n)" +
                    std::to_string(i) + R"(","data":{"userName":"new)" + std::to_string(i) +
                    R"(","urn:ietf:params:scim:schemas:core:2.0:User:password":")" + kSecret +
                    R"("}})";
        }
        const auto refused = request("POST", "/Bulk", bulkOf(many));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(refused.body, 413, refused.status);
        CPPUNIT_ASSERT(refused.body.find("maxPasswordOperations") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(0, total("/Users?filter=userName%20sw%20%22new%22"));
        CPPUNIT_ASSERT_EQUAL(hashes, passwordHashes());
        const double cpuRefused = hostCpuSeconds() - cpuBefore;
        // What one hash costs, for scale: a create that sets a password.
        CPPUNIT_ASSERT_EQUAL(
            201, request("POST", "/Users", R"({"userName":"paid")" + password + "}").status);
        CPPUNIT_ASSERT_EQUAL(hashes + 1, passwordHashes());
        const double cpuOne = hostCpuSeconds() - cpuBefore - cpuRefused;
        std::cout << "\n  host CPU: " << cpuRefused
                  << " s for 20 conflicting bulk creates, 5 refused requests and a refused "
                     "21-password bulk (0 hashes); "
                  << cpuOne << " s for one create with a password (1 hash)" << std::endl;
    }

  private:
    double passwordHashes() {
        const auto metrics = request("GET", "/metrics");
        CPPUNIT_ASSERT_EQUAL(200, metrics.status);
        const std::string name = "\ntim_scim_password_hashes_total ";
        const auto at = metrics.body.find(name);
        CPPUNIT_ASSERT_MESSAGE(metrics.body, at != std::string::npos);
        return std::stod(metrics.body.substr(at + name.size()));
    }

    // The host's user and system CPU time so far (/proc/<pid>/stat, fields 14 and 15).
    double hostCpuSeconds() {
        std::ifstream stat("/proc/" + std::to_string(_host->pid()) + "/stat");
        std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
        std::istringstream fields(text.substr(text.rfind(')') + 2));
        std::string field;
        double ticks = 0;
        for (int i = 3; i <= 15 && fields >> field; ++i) {
            if (i >= 14) {
                ticks += std::stod(field);
            }
        }
        return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
    }

    // Every password write to `id` is 403 with a detail naming `why`, and changes nothing.
    void expectPasswordRefused(const std::string& id, const std::string& userName,
                               const std::string& why) {
        const Credentials before = credentials(id);
        const std::string document = request("GET", "/Users/" + id).body;
        for (const auto& write : passwordWrites(userName)) {
            const auto refused = request(write.first, "/Users/" + id, write.second);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(write.second + " " + refused.body, 403, refused.status);
            const auto error = jsonObject(refused.body);
            CPPUNIT_ASSERT_MESSAGE(refused.body, error->getValue<std::string>("detail").find(why) !=
                                                     std::string::npos);
            CPPUNIT_ASSERT(!error->has("scimType"));
            CPPUNIT_ASSERT(refused.body.find(kSecret) == std::string::npos);
        }
        const auto bulk = request(
            "POST", "/Bulk",
            bulkOf(R"({"method":"PATCH","path":"/Users/)" + id +
                   R"(","data":{"Operations":[{"op":"replace","path":"password","value":")" +
                   kSecret + R"("}]}})"));
        CPPUNIT_ASSERT_EQUAL(std::string("403"), jsonObject(bulk.body)
                                                     ->getArray("Operations")
                                                     ->getObject(0)
                                                     ->getValue<std::string>("status"));
        CPPUNIT_ASSERT(before == credentials(id));
        CPPUNIT_ASSERT_EQUAL(document, request("GET", "/Users/" + id).body);  // nothing written
        CPPUNIT_ASSERT(_host->log().find(kSecret) == std::string::npos);
    }
};

class CredentialsSQLiteTest : public testing::OnSQLite<CredentialsContract> {
    CPPUNIT_TEST_SUB_SUITE(CredentialsSQLiteTest, CredentialsContract);
    CPPUNIT_TEST_SUITE_END();
};

class CredentialsMariaDBTest : public testing::OnMariaDB<CredentialsContract> {
    CPPUNIT_TEST_SUB_SUITE(CredentialsMariaDBTest, CredentialsContract);
    CPPUNIT_TEST_SUITE_END();

  public:
    CredentialsMariaDBTest() : OnMariaDB("tim_e2e_credentials_") {}
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(CredentialsSQLiteTest, "CredentialsSQLiteTest");
CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(CredentialsMariaDBTest, "CredentialsMariaDBTest");
