// The user store on both engines: uniqueness under concurrency, binding, revival, filters
// answered in SQL (LIKE escaping, folded keys) and in memory, paging.
#include "api/RequestLimits.h"
#include "port/StoreErrors.h"
#include "scim/Patch.h"
#include "scim/Representation.h"
#include "scim/ScimError.h"
#include "scim/filter/FilterParser.h"
#include "store/accounts/UserRepository.h"
#include "support/Conflicts.h"
#include "support/EngineFixtures.h"
#include "support/StoreFixture.h"
#include "tim/Passwords.h"

#include <Poco/JSON/Parser.h>

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <functional>
#include <thread>

using namespace Poco::Data::Keywords;

namespace {

Poco::JSON::Object::Ptr doc(const std::string& json) {
    return scim::normaliseResource(
               Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>(),
               scim::userResourceSchema())
        .doc;
}

Poco::JSON::Object::Ptr renderForFilter(const port::UserRecord& record) {
    return scim::renderResource(record.doc, record.id, scim::Meta{"User", "", "", "", ""},
                                scim::userResourceSchema());
}

}  // namespace

class UserRepositoryContract : public testing::StoreFixture {
    CPPUNIT_TEST_SUITE(UserRepositoryContract);
    CPPUNIT_TEST(concurrentCreatesOfOneUserNameGiveOneUser);
    CPPUNIT_TEST(bindingKeepsTheIdAndDeletedUsersRevive);
    CPPUNIT_TEST(filtersAgreeBetweenSqlAndMemory);
    CPPUNIT_TEST(everyWorkEmailAndCoreUrnsAnswerFilters);
    CPPUNIT_TEST(storesOnlyPasswordHashes);
    CPPUNIT_TEST(patchIsAllOrNothingInTheDatabase);
    CPPUNIT_TEST(aConflictNamesTheUserHoldingTheName);
    CPPUNIT_TEST(oneUserReadCarriesItsManager);
    CPPUNIT_TEST(aMatchGoneBeforeItsPageIsReadIsReplacedByTheNext);
    CPPUNIT_TEST_SUITE_END_ABSTRACT();

  public:
    // An admin chasing a 409 in Entra's provisioning log needs to know who holds the name.
    void aConflictNamesTheUserHoldingTheName() {
        const std::string holder =
            _users
                ->createOrBind(doc(R"({"userName":"taken@example.com","externalId":"e1"})"),
                               std::nullopt)
                .record.id;
        const std::string other =
            _users
                ->createOrBind(doc(R"({"userName":"other@example.com","externalId":"e2"})"),
                               std::nullopt)
                .record.id;
        const std::vector<std::function<void()>> collisions{
            [&] {
                _users->createOrBind(doc(R"({"userName":"Taken@Example.com","externalId":"e3"})"),
                                     std::nullopt);
            },
            [&] {
                _users->replace(other, doc(R"({"userName":"TAKEN@example.com","externalId":"e2"})"),
                                std::nullopt, std::nullopt);
            }};
        testing::assertEachConflictNames(collisions, "by user " + holder);
    }

    void oneUserReadCarriesItsManager() {
        const std::string enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
        const std::string boss =
            _users->createOrBind(doc(R"({"userName":"boss","displayName":"Boss"})"), std::nullopt)
                .record.id;
        const auto created =
            _users->createOrBind(doc(R"({"userName":"worker",")" + enterprise +
                                     R"(":{"manager":{"value":")" + boss + R"("}}})"),
                                 std::nullopt);
        const auto knowsBoss = [](const port::UserRecord& record) {
            return record.manager && record.manager->known && record.manager->displayName == "Boss";
        };
        CPPUNIT_ASSERT(knowsBoss(created.record));
        CPPUNIT_ASSERT(knowsBoss(*_users->find(created.record.id)));
        // The manager renamed: the next write reads the new name with the user.
        patchUser(boss, R"([{"op":"replace","path":"displayName","value":"Chief"}])");
        const auto patched =
            patchUser(created.record.id, R"([{"op":"replace","path":"title","value":"t"}])");
        CPPUNIT_ASSERT(patched.manager && patched.manager->displayName == "Chief");
        // A manager that is no user is marked unknown; a user without one carries none.
        const auto orphan =
            patchUser(created.record.id, R"([{"op":"replace","path":")" + enterprise +
                                             R"(:manager","value":"nobody"}])");
        CPPUNIT_ASSERT(orphan.manager && !orphan.manager->known);
        CPPUNIT_ASSERT(!_users->find(boss)->manager);
        // A deleted manager is unknown from then on.
        patchUser(created.record.id, R"([{"op":"replace","path":")" + enterprise +
                                         R"(:manager","value":")" + boss + R"("}])");
        CPPUNIT_ASSERT(_users->remove(boss, std::nullopt));
        CPPUNIT_ASSERT(!_users->find(created.record.id)->manager->known);
    }

    void concurrentCreatesOfOneUserNameGiveOneUser() {
        std::atomic<int> created{0};
        std::atomic<int> conflicts{0};
        std::atomic<int> other{0};
        std::vector<std::thread> clients;
        for (int i = 0; i < 8; ++i) {
            clients.emplace_back([&, i] {
                try {
                    _users->createOrBind(doc(R"({"userName":"Race@Example.com","externalId":"e)" +
                                             std::to_string(i) + "\"}"),
                                         std::nullopt);
                    ++created;
                } catch (const port::Conflict&) {
                    ++conflicts;
                } catch (...) {
                    ++other;
                }
            });
        }
        for (auto& t : clients) {
            t.join();
        }
        CPPUNIT_ASSERT_EQUAL(1, created.load());
        CPPUNIT_ASSERT_EQUAL(7, conflicts.load());
        CPPUNIT_ASSERT_EQUAL(0, other.load());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), query(R"(userName eq "race@example.com")").total);
    }

    void bindingKeepsTheIdAndDeletedUsersRevive() {
        const std::string local = _users->createLocal("kim", "", {});
        const auto bound = _users->createOrBind(
            doc(R"({"userName":"KIM","externalId":"x1","title":"t"})"), std::nullopt);
        CPPUNIT_ASSERT(bound.outcome == port::CreateOutcome::Bound);
        CPPUNIT_ASSERT_EQUAL(local, bound.record.id);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), bound.record.version);
        CPPUNIT_ASSERT(bound.record.doc->has("title"));  // the request was applied
        // Bound: a managed user now, whose userName a second create cannot take.
        CPPUNIT_ASSERT_THROW(
            _users->createOrBind(doc(R"({"userName":"kim","externalId":"x3"})"), std::nullopt),
            port::Conflict);
        const auto tim = bound;

        CPPUNIT_ASSERT(_users->remove(bound.record.id, std::nullopt));
        CPPUNIT_ASSERT(!_users->find(bound.record.id));
        CPPUNIT_ASSERT(!_users->remove(bound.record.id, std::nullopt));
        // The same directory object (its externalId) comes back as itself.
        const auto revived =
            _users->createOrBind(doc(R"({"userName":"kim","externalId":"x1"})"), std::nullopt);
        CPPUNIT_ASSERT(revived.outcome == port::CreateOutcome::Revived);
        CPPUNIT_ASSERT_EQUAL(tim.record.id, revived.record.id);
        CPPUNIT_ASSERT(_users->find(tim.record.id).has_value());
        // Anyone else with the userName is a new user: the deleted one is erased, its id gone.
        CPPUNIT_ASSERT(_users->remove(tim.record.id, std::nullopt));
        const auto other =
            _users->createOrBind(doc(R"({"userName":"kim","externalId":"x2"})"), std::nullopt);
        CPPUNIT_ASSERT(other.outcome == port::CreateOutcome::Created);
        CPPUNIT_ASSERT(other.record.id != tim.record.id);
        CPPUNIT_ASSERT_EQUAL(tim.record.id, other.erasedId);
        CPPUNIT_ASSERT(!_users->find(tim.record.id));
        CPPUNIT_ASSERT(!_users->remove(tim.record.id, std::nullopt));
    }

    void filtersAgreeBetweenSqlAndMemory() {
        const char* users[] = {
            R"({"userName":"a_b%c@x.com","title":"Lead","emails":[{"type":"work","value":"Work1@X.com"}]})",
            R"({"userName":"aXbYc@x.com","title":"lead","active":false})",
            R"({"userName":"plain@y.org","externalId":"Ext","urn:ietf:params:scim:schemas:extension:tim:1.0:User":{"email":"T@Y.org"}})",
        };
        for (const char* u : users) {
            _users->createOrBind(doc(u), std::nullopt);
        }
        const std::pair<const char*, std::size_t> cases[] = {
            {R"(userName sw "a_b%")", 1},  // escaped LIKE: _ and % are literal
            {R"(userName co "_B%C")", 1},
            {R"(userName ew "@X.COM")", 2},
            {R"(userName gt "b")", 1},
            {R"(externalId eq "Ext")", 1},
            {R"(userName eq "PLAIN@Y.ORG")", 1},  // a unique key: the one-statement read
            {R"(userName eq "plain@y.org" and active eq false)", 0},
            {R"(id eq "no-such-id")", 0},
            {R"(externalId eq "ext")", 0},  // caseExact
            {R"(externalId pr)", 1},
            {"active eq false", 1},
            {R"(active eq "True")", 2},
            {R"(emails[type eq "work"].value eq "work1@x.com")", 1},
            {R"(urn:ietf:params:scim:schemas:extension:tim:1.0:User:email eq "t@y.org")", 1},
            {R"(title eq "LEAD")", 2},  // in memory, caseExact=false
            {R"(title eq "lead" and active eq true)", 1},
            {R"(not (userName ew "x.com"))", 1},
            {R"(userName ew "x.com" or externalId eq "Ext")", 3},
            {R"(meta.created gt "2000-01-01T00:00:00Z")", 3},
        };
        for (const auto& c : cases) {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.first, c.second, query(c.first).total);
        }
        port::UserQuery sorted;
        sorted.sortBy = scim::filter::parseAttrPath("title");
        sorted.count = 10;
        const auto page = _users->query(sorted, renderForFilter);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), page.records.size());
        CPPUNIT_ASSERT_EQUAL(
            std::string("plain@y.org"),
            page.records.back().doc->getValue<std::string>("userName"));  // no title: last
    }

    // A residue scan keeps only ids; one that is gone when the page is read (deleted for good
    // meanwhile) leaves its place to the next match, so a page is never short and a cursor
    // walk never ends early.
    void aMatchGoneBeforeItsPageIsReadIsReplacedByTheNext() {
        for (int i = 0; i < 5; ++i) {
            _users->createOrBind(
                doc(R"({"userName":"gone)" + std::to_string(i) + R"(@y.org","title":"pilot"})"),
                std::nullopt);
        }
        port::UserQuery query;
        query.filter = scim::filter::parseFilter("title eq \"pilot\"");
        query.count = 3;
        const auto before = _users->query(query, renderForFilter);  // the order of the matches
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), before.records.size());
        query.count = 2;
        bool erased = false;
        const auto page = _users->query(query, [&](const port::UserRecord& record) {
            if (!erased) {
                erased = true;
                Poco::Data::Session session = _database->session();
                std::string first = before.records[0].id;
                session << "DELETE FROM tim_user WHERE id = ?", use(first), now;
            }
            return renderForFilter(record);
        });
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), page.total);  // as scanned
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), page.records.size());
        CPPUNIT_ASSERT_EQUAL(before.records[1].id, page.records[0].id);
        CPPUNIT_ASSERT_EQUAL(before.records[2].id, page.records[1].id);
    }

    void everyWorkEmailAndCoreUrnsAnswerFilters() {
        _users->createOrBind(
            doc(R"({"userName":"multi@z.net","title":"T","emails":[{"type":"work","value":"first@z.net"},{"type":"work","value":"Second@Z.net"},{"type":"home","value":"h@z.net"}]})"),
            std::nullopt);
        _users->createOrBind(
            doc(R"({"userName":"single@z.net","emails":[{"type":"work","value":"second@z.net"}]})"),
            std::nullopt);
        const std::pair<const char*, std::size_t> cases[] = {
            {R"(emails[type eq "work"].value eq "first@z.net")", 1},
            {R"(emails[type eq "work"].value eq "SECOND@z.net")", 2},  // the second work email
            {R"(emails[type eq "work"].value eq "h@z.net")", 0},       // not a work email
            {R"(emails[type eq "work"].value sw "sec")", 2},
            {R"(urn:ietf:params:scim:schemas:core:2.0:User:userName eq "MULTI@z.net")", 1},
            {R"(urn:ietf:params:scim:schemas:core:2.0:User:emails[type eq "work"].value eq "first@z.net")",
             1},
        };
        for (const auto& c : cases) {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.first, c.second, query(c.first).total);
        }
        port::UserQuery sorted;
        sorted.sortBy =
            scim::filter::parseAttrPath("urn:ietf:params:scim:schemas:core:2.0:User:userName");
        const auto page = _users->query(sorted, renderForFilter);
        CPPUNIT_ASSERT_EQUAL(std::string("single@z.net"),
                             page.records.back().doc->getValue<std::string>("userName"));
    }

    void storesOnlyPasswordHashes() {
        // TIM's default password (initpass-x-others) for a user created without one.
        tim::AccountSettings settings;
        settings.defaultPasswordHash = tim::hashPassword("Initial-Pass-1");
        const std::string hash = settings.defaultPasswordHash;
        const tim::AccountService rules(settings);
        testing::StoredUsers users(*_database, rules);
        const auto created = users.createOrBind(doc(R"({"userName":"pw"})"), std::nullopt);
        Poco::Data::Session session = _database->session();
        std::string stored;
        int mustChange = 0;
        std::string id = created.record.id;
        session << "SELECT password_hash, password_change_required FROM tim_user WHERE id = ?",
            use(id), into(stored), into(mustChange), now;
        CPPUNIT_ASSERT(stored.rfind("pbkdf2-sha256$", 0) == 0);
        CPPUNIT_ASSERT(stored.find("Initial-Pass-1") == std::string::npos);
        CPPUNIT_ASSERT(tim::verifyPassword("Initial-Pass-1", stored));
        CPPUNIT_ASSERT(!tim::verifyPassword("initial-pass-1", stored));
        CPPUNIT_ASSERT_EQUAL(1, mustChange);
        CPPUNIT_ASSERT(hash != tim::hashPassword("Initial-Pass-1"));  // salted
    }

    void patchIsAllOrNothingInTheDatabase() {
        const auto created =
            _users->createOrBind(doc(R"({"userName":"atomic","title":"t0"})"), std::nullopt);
        const std::string id = created.record.id;
        auto row = [&] {
            Poco::Data::Session session = _database->session();
            std::string text;
            Poco::Int64 version = 0;
            Poco::Int64 modified = 0;
            std::string key = id;
            session << "SELECT doc, version, modified_ms FROM tim_user WHERE id = ?", use(key),
                into(text), into(version), into(modified), now;
            return text + "|" + std::to_string(version) + "|" + std::to_string(modified);
        };
        const std::string before = row();
        for (
            const char* failing :
            {R"([{"op":"replace","path":"title","value":"t1"},{"op":"replace","path":"bogus","value":"x"}])",
             R"([{"op":"replace","path":"userName","value":"renamed"},{"op":"replace","path":"active","value":"no"}])",
             R"([{"op":"add","path":"emails","value":[{"type":"work","value":"a","primary":true},{"type":"work","value":"b","primary":true}]}])"}) {
            CPPUNIT_ASSERT_THROW_MESSAGE(failing, patchUser(id, failing), scim::ScimError);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(failing, before, row());
        }
        // A patch that changes nothing keeps version and lastModified.
        patchUser(id, R"([{"op":"replace","path":"title","value":"t0"}])");
        CPPUNIT_ASSERT_EQUAL(before, row());
        const auto changed = patchUser(id, R"([{"op":"replace","path":"title","value":"t1"}])");
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), changed.version);
        CPPUNIT_ASSERT_EQUAL(std::string("t1"), changed.doc->getValue<std::string>("title"));
        // A stale If-Match is refused.
        CPPUNIT_ASSERT_THROW(_users->patch(
                                 id,
                                 [](const port::UserRecord& r) {
                                     return scim::NormalisedResource{r.doc, {}};
                                 },
                                 Poco::Int64(1)),
                             port::VersionMismatch);
    }

  private:
    port::UserPage query(const std::string& filter) {
        port::UserQuery q;
        q.filter = scim::filter::parseFilter(filter);
        q.count = 50;
        return _users->query(q, renderForFilter);
    }
};

TIM_ENGINE_SUITES(UserRepository);
CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(UserRepositorySQLiteTest, "UserRepositorySQLiteTest");
CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(UserRepositoryMariaDBTest, "UserRepositoryMariaDBTest");
