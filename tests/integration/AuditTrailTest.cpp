// The provisioning audit on both engines: each user write leaves one row in its own
// transaction, under the request's id, naming what changed and never a value; a write that
// rolls back leaves none; an admin finds the history by id, userName or externalId.
#include "api/RequestLimits.h"
#include "port/RequestContext.h"
#include "scim/DocumentChanges.h"
#include "scim/GroupSchemas.h"
#include "scim/Patch.h"
#include "scim/Representation.h"
#include "scim/ScimError.h"
#include "scim/UserSchemas.h"
#include "store/accounts/AuditTrail.h"
#include "store/accounts/GroupRepository.h"
#include "store/accounts/UserRepository.h"
#include "store/engine/WriteTransaction.h"
#include "support/EngineFixtures.h"
#include "support/StoreFixture.h"

#include <Poco/JSON/Parser.h>

#include <cppunit/extensions/HelperMacros.h>

namespace {

Poco::JSON::Object::Ptr parse(const std::string& json) {
    return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
}

Poco::JSON::Object::Ptr userDoc(const std::string& json) {
    return scim::normaliseResource(parse(json), scim::userResourceSchema()).doc;
}

std::vector<std::string> names(std::initializer_list<const char*> list) {
    return {list.begin(), list.end()};
}

}  // namespace

class AuditTrailContract : public testing::StoreFixture {
    CPPUNIT_TEST_SUITE(AuditTrailContract);
    CPPUNIT_TEST(eachUserWriteLeavesOneRowNamingWhatChanged);
    CPPUNIT_TEST(aRolledBackWriteLeavesNoRow);
    CPPUNIT_TEST(changedAttributesNameExtensionsAndNeverValues);
    CPPUNIT_TEST(groupWritesMembershipsAndRoleGrantsAreAudited);
    CPPUNIT_TEST(disablingAndEnablingAreNamedAsSuch);
    CPPUNIT_TEST_SUITE_END_ABSTRACT();

  public:
    void eachUserWriteLeavesOneRowNamingWhatChanged() {
        store::AuditTrail trail(*_database);
        std::string id;
        {
            const port::RequestScope request("req-create");
            id = _users
                     ->createOrBind(userDoc(R"({"userName":"Ada@Example.com","externalId":"e-ada",)"
                                            R"("name":{"givenName":"Ada"}})"),
                                    std::string("salted-hash"))
                     .record.id;
        }
        {
            const port::RequestScope request("req-patch");
            patchUser(id, R"([{"op":"replace","path":"displayName","value":"Ada L."},)"
                          R"({"op":"replace","path":"password","value":"s3cret-value"}])");
            patchUser(id, R"([{"op":"replace","path":"displayName","value":"Ada L."}])");  // no-op
        }
        _users->replace(id, userDoc(R"({"userName":"ada@example.com","externalId":"e-ada"})"),
                        std::nullopt, std::nullopt);
        CPPUNIT_ASSERT(_users->remove(id, std::nullopt));

        const auto history = trail.historyOf(id, 50);
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), history.size());
        CPPUNIT_ASSERT_EQUAL(std::string("create"), history[0].event.operation);
        CPPUNIT_ASSERT_EQUAL(std::string("req-create"), history[0].requestId);
        std::string created;
        for (const auto& name : history[0].event.changed) {
            created += name + " ";
        }
        CPPUNIT_ASSERT_EQUAL(std::string("externalId name userName password "), created);
        CPPUNIT_ASSERT_EQUAL(std::string("patch"), history[1].event.operation);
        CPPUNIT_ASSERT_EQUAL(std::string("req-patch"), history[1].requestId);
        CPPUNIT_ASSERT(history[1].event.changed == names({"displayName", "password"}));
        CPPUNIT_ASSERT_EQUAL(std::string("replace"), history[2].event.operation);
        CPPUNIT_ASSERT_EQUAL(std::string(), history[2].requestId);  // not a request's write
        CPPUNIT_ASSERT(history[2].event.changed == names({"displayName", "name", "userName"}));
        CPPUNIT_ASSERT_EQUAL(std::string("delete"), history[3].event.operation);
        CPPUNIT_ASSERT_EQUAL(std::string("e-ada"), history[3].event.externalId.value());
        for (const auto& entry : history) {
            CPPUNIT_ASSERT_EQUAL(std::string("User"), entry.event.resourceType);
            CPPUNIT_ASSERT_EQUAL(id, entry.event.resourceId);
        }

        // Found the ways an admin knows the user; latest() is the newest rows, oldest first.
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), trail.historyOf("e-ada", 50).size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), trail.historyOf(id, 2).size());
        CPPUNIT_ASSERT_EQUAL(std::string("replace"), trail.historyOf(id, 2)[0].event.operation);
        const auto latest = trail.latest(1);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), latest.size());
        CPPUNIT_ASSERT_EQUAL(std::string("delete"), latest[0].event.operation);
        CPPUNIT_ASSERT(trail.historyOf("nobody@example.com", 50).empty());

        // The audit never holds a value: neither the password nor a name.
        Poco::Data::Session session = _database->session();
        std::vector<std::string> changed;
        session << "SELECT changed FROM scim_audit", Poco::Data::Keywords::into(changed),
            Poco::Data::Keywords::now;
        for (const auto& text : changed) {
            for (const char* value : {"s3cret", "salted-hash", "Ada", "ada@"}) {
                CPPUNIT_ASSERT_MESSAGE(text, text.find(value) == std::string::npos);
            }
        }
    }

    void aRolledBackWriteLeavesNoRow() {
        const std::string id = provisioned("bob@example.com", "e-b");
        // A PATCH that fails half-way writes nothing, audit included.
        CPPUNIT_ASSERT_THROW(patchUser(id, R"([{"op":"replace","path":"title","value":"t"},)"
                                           R"({"op":"replace","path":"bogus","value":"x"}])"),
                             scim::ScimError);
        // An audit row written in a transaction that does not commit is gone with it.
        {
            Poco::Data::Session session = _database->session();
            store::WriteTransaction tx(session, _database->dialect());
            store::recordAudit(session, {"patch", "User", id, {}, {"title"}});
        }
        const auto history = store::AuditTrail(*_database).historyOf(id, 50);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), history.size());
        CPPUNIT_ASSERT_EQUAL(std::string("create"), history[0].event.operation);
    }

    void changedAttributesNameExtensionsAndNeverValues() {
        const auto before = userDoc(
            R"({"userName":"c","title":"x","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":)"
            R"({"department":"A","manager":{"value":"m1"}}})");
        const auto after = userDoc(
            R"({"userName":"c","nickName":"n","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":)"
            R"({"department":"A","manager":{"value":"m2"}}})");
        CPPUNIT_ASSERT(
            scim::changedAttributes(before, after) ==
            names({"nickName", "title",
                   "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager"}));
        CPPUNIT_ASSERT(scim::changedAttributes(before, before).empty());
    }

    // Entra's soft delete is a PATCH of active; the audit calls it what it is.
    void disablingAndEnablingAreNamedAsSuch() {
        const std::string id = provisioned("soft@example.com", "e-s");
        patchUser(id, R"([{"op":"replace","path":"active","value":false}])");
        patchUser(id, R"([{"op":"replace","path":"active","value":true},)"
                      R"({"op":"replace","path":"title","value":"back"}])");
        const auto history = store::AuditTrail(*_database).historyOf("e-s", 50);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), history.size());
        CPPUNIT_ASSERT_EQUAL(std::string("disable"), history[1].event.operation);
        CPPUNIT_ASSERT(history[1].event.changed == names({"active"}));
        CPPUNIT_ASSERT_EQUAL(std::string("enable"), history[2].event.operation);
        CPPUNIT_ASSERT(history[2].event.changed == names({"active", "title"}));
        for (const auto& entry : history) {
            CPPUNIT_ASSERT_EQUAL(std::string("applied"), entry.event.outcome);
        }
    }

    void groupWritesMembershipsAndRoleGrantsAreAudited() {
        store::AuditTrail trail(*_database);
        const std::string user = provisioned("pm@example.com", "e-pm");
        const auto groupDoc =
            scim::normaliseResource(
                parse(R"({"displayName":"role.processmanager","externalId":"g-1"})"),
                scim::groupResourceSchema())
                .doc;
        const std::string group =
            _groups->createOrBind(groupDoc, std::vector<std::string>{user}).record.id;
        using Kind = port::MemberChange::Kind;
        _groups->patch(group, {}, {{Kind::Remove, {user}}}, std::nullopt);
        _groups->patch(group, {}, {{Kind::Remove, {user}}}, std::nullopt);  // no change: no row
        CPPUNIT_ASSERT(_groups->remove(group, std::nullopt));

        const auto groupHistory = trail.historyOf("g-1", 50);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), groupHistory.size());
        CPPUNIT_ASSERT_EQUAL(std::string("create"), groupHistory[0].event.operation);
        CPPUNIT_ASSERT(groupHistory[0].event.changed ==
                       names({"displayName", "externalId", "members"}));
        CPPUNIT_ASSERT_EQUAL(std::string("patch"), groupHistory[1].event.operation);
        CPPUNIT_ASSERT(groupHistory[1].event.changed == names({"members"}));
        CPPUNIT_ASSERT_EQUAL(std::string("delete"), groupHistory[2].event.operation);

        // The user's history, found by its externalId, carries the grant and the revocation.
        const auto userHistory = trail.historyOf("e-pm", 50);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), userHistory.size());
        CPPUNIT_ASSERT_EQUAL(std::string("grant"), userHistory[1].event.operation);
        CPPUNIT_ASSERT(userHistory[1].event.changed == names({"roles:processmanager"}));
        CPPUNIT_ASSERT_EQUAL(std::string("revoke"), userHistory[2].event.operation);
    }

  private:
    // A user as Entra creates one, without a password.
    std::string provisioned(const std::string& userName, const std::string& externalId) {
        return _users
            ->createOrBind(
                userDoc(R"({"userName":")" + userName + R"(","externalId":")" + externalId + "\"}"),
                std::nullopt)
            .record.id;
    }
};

TIM_ENGINE_SUITES(AuditTrail);
CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(AuditTrailSQLiteTest, "AuditTrailSQLiteTest");
CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(AuditTrailMariaDBTest, "AuditTrailMariaDBTest");
