// The purge on both engines with a clock the test sets: exactly the expired users go, with
// their memberships and roles, in batches, one purger at a time.
#include "api/RequestLimits.h"
#include "scim/GroupSchemas.h"
#include "scim/Patch.h"
#include "scim/Representation.h"
#include "scim/filter/FilterParser.h"
#include "store/accounts/AuditTrail.h"
#include "store/accounts/GroupRepository.h"
#include "store/accounts/Snapshots.h"
#include "store/accounts/UserRepository.h"
#include "store/upkeep/Purger.h"
#include "support/EngineFixtures.h"
#include "support/StoreFixture.h"
#include "tim/Duration.h"

#include <Poco/JSON/Parser.h>

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <thread>

using namespace Poco::Data::Keywords;

namespace {

const Poco::Timestamp kNow = Poco::Timestamp::fromEpochTime(1800000000);
constexpr Poco::Int64 kDayMs = 86400000;
const Poco::Int64 kNowMs = kNow.epochMicroseconds() / 1000;

Poco::JSON::Object::Ptr parse(const std::string& json) {
    return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
}

store::PurgePolicy policy(std::size_t batchSize = 500, bool purgeDisabled = true) {
    store::PurgePolicy p;
    p.deletedRetention = tim::Duration::parse("30d", "test").expiry();
    if (purgeDisabled) {
        p.disabledRetention = tim::Duration::parse("30d", "test").expiry();
    }
    p.batchSize = batchSize;
    return p;
}

}  // namespace

class PurgerContract : public testing::StoreFixture {
    CPPUNIT_TEST_SUITE(PurgerContract);
    CPPUNIT_TEST(purgesExactlyWhatExpired);
    CPPUNIT_TEST(disabledUsersCanBeKept);
    CPPUNIT_TEST(accountsTimCreatedAreNeverPurged);
    CPPUNIT_TEST(worksInBatches);
    CPPUNIT_TEST(recordsWhenUsersWereDisabled);
    CPPUNIT_TEST(concurrentPurgersDeleteEachUserOnce);
    CPPUNIT_TEST(auditRowsPastTheirRetentionGoAndPurgesAreAudited);
    CPPUNIT_TEST(listTotalsStayExactThroughEveryWrite);
    CPPUNIT_TEST_SUITE_END_ABSTRACT();

  public:
    // An unfiltered list takes its total from the counts the triggers keep; a filter every
    // user and group matches counts rows. Both agree after every kind of write.
    void listTotalsStayExactThroughEveryWrite() {
        const auto expectTotals = [&](std::size_t users, std::size_t groups, const char* step) {
            const auto queryOf = [](const char* filter) {
                port::ResourceQuery query;
                query.filter = filter ? scim::filter::parseFilter(filter) : nullptr;
                query.count = 0;
                return query;
            };
            const auto users_ = [&](const char* filter) {
                return _users->query(queryOf(filter), {}).total;
            };
            const auto groups_ = [&](const char* filter) {
                return _groups->query(queryOf(filter), false, {}).total;
            };
            CPPUNIT_ASSERT_EQUAL_MESSAGE(step, users, users_(nullptr));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(step, users, users_("userName pr"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(step, groups, groups_(nullptr));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(step, groups, groups_("displayName pr"));
        };
        syncRoleCatalogue({}, {"admin"});  // as the plugin does for protected roles
        expectTotals(0, 0, "empty");
        const std::string kept = user("kept");
        const std::string leaver = user("leaver");
        user("disabled-long-ago", kNowMs - 31 * kDayMs);
        expectTotals(3, 0, "created");
        CPPUNIT_ASSERT(_users->remove(leaver, std::nullopt));
        expectTotals(2, 0, "deleted through SCIM");
        user("leaver");
        expectTotals(3, 0, "revived");
        const std::string local = _users->createLocal("local", "", {});
        _users->createLocal("admin2", "", {"admin"});  // protected: out of SCIM's reach
        expectTotals(4, 0, "created in TIM");
        store::Snapshots snapshots(*_database);
        CPPUNIT_ASSERT(snapshots.deleteUserInTim(local));
        expectTotals(3, 0, "deleted in TIM");
        setDeleted(kept, kNowMs - 31 * kDayMs);
        expectTotals(2, 0, "deleted by hand");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), store::Purger(*_database, policy()).run(kNow).users);
        expectTotals(1, 0, "purged");
        const auto group = [&](const char* name) {
            return _groups
                ->createOrBind(scim::normaliseResource(
                                   parse(std::string(R"({"displayName":")") + name + "\"}"),
                                   scim::groupResourceSchema())
                                   .doc,
                               std::vector<std::string>{})
                .record.id;
        };
        const std::string first = group("First");
        const std::string second = group("Second");
        expectTotals(1, 2, "groups created");
        CPPUNIT_ASSERT(_groups->deleteInTim(first));
        CPPUNIT_ASSERT(_groups->remove(second, std::nullopt));
        expectTotals(1, 0, "groups deleted");
    }

    void auditRowsPastTheirRetentionGoAndPurgesAreAudited() {
        Poco::Data::Session session = _database->session();
        for (const Poco::Int64 ageDays : {400, 380, 366, 364, 10}) {
            Poco::Int64 at = kNowMs - ageDays * kDayMs;
            std::string id = "old-" + std::to_string(ageDays);
            session << "INSERT INTO scim_audit (at_ms, operation, resource_type, resource_id, "
                       "changed) VALUES (?, 'patch', 'User', ?, '')",
                use(at), use(id), now;
        }
        const std::string gone = user("deleted-long-ago");
        setDeleted(gone, kNowMs - 31 * kDayMs);
        auto withAudit = policy(2);
        withAudit.auditRetention = tim::Duration::parse("1y", "test").expiry();

        const auto result = store::Purger(*_database, withAudit).run(kNow);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), result.users);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), result.auditRows);  // 400, 380, 366 days old
        store::AuditTrail trail(*_database);
        for (const char* kept : {"old-364", "old-10"}) {
            CPPUNIT_ASSERT_EQUAL(std::size_t(1), trail.historyOf(kept, 10).size());
        }
        CPPUNIT_ASSERT(trail.historyOf("old-366", 10).empty());
        const auto history = trail.historyOf(gone, 10);
        CPPUNIT_ASSERT(!history.empty());
        CPPUNIT_ASSERT_EQUAL(std::string("purge"), history.back().event.operation);
        // Without a retention, audit rows stay.
        CPPUNIT_ASSERT_EQUAL(std::size_t(0),
                             store::Purger(*_database, policy()).run(kNow).auditRows);
    }

    void purgesExactlyWhatExpired() {
        const std::string active = user("active");
        const std::string disabledOld = user("disabled-31d", kNowMs - 31 * kDayMs);
        const std::string disabledNew = user("disabled-29d", kNowMs - 29 * kDayMs);
        const std::string atCutoff = user("deleted-at-cutoff");
        const std::string pastCutoff = user("deleted-past-cutoff");
        const auto group = _groups->createOrBind(
            scim::normaliseResource(parse(R"({"displayName":"role.processmanager"})"),
                                    scim::groupResourceSchema())
                .doc,
            std::vector<std::string>{active, disabledOld, disabledNew});
        setDeleted(pastCutoff, kNowMs - 30 * kDayMs - 1);
        setDeleted(atCutoff, kNowMs - 30 * kDayMs);

        const auto result = store::Purger(*_database, policy()).run(kNow);
        CPPUNIT_ASSERT(result.ran);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), result.users);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), result.memberships);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), result.roleAssignments);
        CPPUNIT_ASSERT(!exists(disabledOld) && !exists(pastCutoff));
        CPPUNIT_ASSERT(exists(active) && exists(disabledNew) && exists(atCutoff));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), _groups->members(group.record.id).size());
        CPPUNIT_ASSERT(store::Purger(*_database, policy()).lastRun() == kNow);
        // Nothing left to do.
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), store::Purger(*_database, policy()).run(kNow).users);
    }

    // An account TIM created and SCIM never bound is TIM's to delete, however long ago TIM
    // disabled it (or marked it deleted).
    void accountsTimCreatedAreNeverPurged() {
        const std::string local = _users->createLocal("local.disabled", "", {});
        const std::string scims = user("scim.disabled", kNowMs - 365 * kDayMs);
        {
            Poco::Data::Session session = _database->session();
            std::string key = local;
            Poco::Int64 longAgo = kNowMs - 365 * kDayMs;
            session << "UPDATE tim_user SET active = 0, disabled_ms = ? WHERE id = ?", use(longAgo),
                use(key), now;
        }
        const std::string localDeleted = _users->createLocal("local.deleted", "", {});
        setDeleted(localDeleted, kNowMs - 365 * kDayMs);
        {
            Poco::Data::Session session = _database->session();
            std::string key = localDeleted;
            session << "UPDATE tim_user SET managed = 0 WHERE id = ?", use(key), now;
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), store::Purger(*_database, policy()).run(kNow).users);
        CPPUNIT_ASSERT(exists(local) && exists(localDeleted) && !exists(scims));
    }

    void disabledUsersCanBeKept() {
        const std::string disabled = user("disabled-1y", kNowMs - 365 * kDayMs);
        const std::string deleted = user("deleted-1y");
        setDeleted(deleted, kNowMs - 365 * kDayMs);
        const auto result = store::Purger(*_database, policy(500, false)).run(kNow);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), result.users);
        CPPUNIT_ASSERT(exists(disabled) && !exists(deleted));
    }

    void worksInBatches() {
        for (int i = 0; i < 5; ++i) {
            setDeleted(user("batch-" + std::to_string(i)), kNowMs - 40 * kDayMs);
        }
        const auto result = store::Purger(*_database, policy(2)).run(kNow);
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), result.users);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), result.batches);
    }

    void recordsWhenUsersWereDisabled() {
        const std::string id = user("toggle");
        CPPUNIT_ASSERT(disabledMs(id).isNull());
        patchUser(id, R"([{"op":"Replace","path":"active","value":"False"}])");
        const auto first = disabledMs(id);
        CPPUNIT_ASSERT(!first.isNull());
        patchUser(id, R"([{"op":"Replace","path":"displayName","value":"still disabled"}])");
        CPPUNIT_ASSERT(disabledMs(id) == first);  // the first moment stays
        patchUser(id, R"([{"op":"Replace","path":"active","value":true}])");
        CPPUNIT_ASSERT(disabledMs(id).isNull());
    }

    void concurrentPurgersDeleteEachUserOnce() {
        for (int i = 0; i < 40; ++i) {
            setDeleted(user("race-" + std::to_string(i)), kNowMs - 40 * kDayMs);
        }
        std::atomic<std::size_t> purged{0};
        std::atomic<int> failures{0};
        std::vector<std::thread> purgers;
        for (int i = 0; i < 3; ++i) {
            purgers.emplace_back([&] {
                try {
                    store::Database own(_config, logger());  // like another instance
                    purged += store::Purger(own, policy(5)).run(kNow).users;
                } catch (const Poco::Exception& e) {
                    logger().error(e.displayText());
                    ++failures;
                }
            });
        }
        for (auto& t : purgers) {
            t.join();
        }
        CPPUNIT_ASSERT_EQUAL(0, failures.load());
        // What one purger skipped (the lock was held) the next run takes: every user once.
        purged += store::Purger(*_database, policy(5)).run(kNow).users;
        CPPUNIT_ASSERT_EQUAL(std::size_t(40), purged.load());
    }

  private:
    // A user, disabled since `disabledMs` when that is not 0.
    std::string user(const std::string& name, Poco::Int64 disabledMs = 0) {
        const bool disabled = disabledMs != 0;
        const auto doc =
            scim::normaliseResource(parse(R"({"userName":")" + name + R"(","active":)" +
                                          (disabled ? "false" : "true") + "}"),
                                    scim::userResourceSchema())
                .doc;
        const std::string id = _users->createOrBind(doc, std::nullopt).record.id;
        if (disabled) {
            Poco::Data::Session session = _database->session();
            std::string key = id;
            session << "UPDATE tim_user SET disabled_ms = ? WHERE id = ?", use(disabledMs),
                use(key), now;
        }
        return id;
    }

    void setDeleted(const std::string& id, Poco::Int64 deletedMs) {
        Poco::Data::Session session = _database->session();
        std::string key = id;
        session << "UPDATE tim_user SET deleted_ms = ?, active = 0, disabled_ms = ? WHERE id = ?",
            use(deletedMs), use(deletedMs), use(key), now;
    }

    bool exists(const std::string& id) {
        Poco::Data::Session session = _database->session();
        Poco::Int64 count = 0;
        std::string key = id;
        session << "SELECT COUNT(*) FROM tim_user WHERE id = ?", use(key), into(count), now;
        return count == 1;
    }

    Poco::Nullable<Poco::Int64> disabledMs(const std::string& id) {
        Poco::Data::Session session = _database->session();
        Poco::Nullable<Poco::Int64> value;
        std::string key = id;
        session << "SELECT disabled_ms FROM tim_user WHERE id = ?", use(key), into(value), now;
        return value;
    }
};

TIM_ENGINE_SUITES(Purger);
CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(PurgerSQLiteTest, "PurgerSQLiteTest");
CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(PurgerMariaDBTest, "PurgerMariaDBTest");
