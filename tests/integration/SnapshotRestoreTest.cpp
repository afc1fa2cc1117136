// The restore after a deletion in TIM on both engines (store/accounts/Snapshots.h): a create
// with the externalId of a snapshot takes the newest one inside the retention (30 days by
// default), once; older ones stay for the purge. A user's create reads the snapshots with its
// candidates, in one statement; a group's reads them on its own. Both must choose alike. A
// snapshot another create took meanwhile is not restored twice (MariaDB).
#include "scim/GroupSchemas.h"
#include "scim/Representation.h"
#include "scim/UserSchemas.h"
#include "support/EngineFixtures.h"
#include "support/StoreFixture.h"

#include <Poco/Data/Statement.h>
#include <Poco/JSON/Parser.h>

#include <cppunit/extensions/HelperMacros.h>

#include <future>
#include <set>

namespace {

using namespace Poco::Data::Keywords;

constexpr Poco::Int64 kDayMs = 24 * 3600 * 1000;

Poco::JSON::Object::Ptr resource(const std::string& json, const scim::ResourceSchema& schema) {
    return scim::normaliseResource(
               Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>(), schema)
        .doc;
}

Poco::Int64 daysAgoMs(int days) {
    return Poco::Timestamp().epochMicroseconds() / 1000 - days * kDayMs;
}

}  // namespace

class SnapshotRestoreContract : public testing::StoreFixture {
    CPPUNIT_TEST_SUITE(SnapshotRestoreContract);
    CPPUNIT_TEST(aUsersCreateTakesTheNewestSnapshotInsideTheRetentionOnce);
    CPPUNIT_TEST(aGroupsCreateTakesTheNewestSnapshotInsideTheRetentionOnce);
    CPPUNIT_TEST(aCreateWithoutItsExternalIdTakesNothing);
    CPPUNIT_TEST_SUITE_END_ABSTRACT();

  public:
    void aUsersCreateTakesTheNewestSnapshotInsideTheRetentionOnce() {
        const std::string tooOld = group("too-old");
        const std::string older = group("older");
        const std::string newest = group("newest");
        keepSnapshot("old", "user", "E-ann", R"({"groups":[")" + tooOld + R"("]})", 40);
        keepSnapshot("mid", "user", "E-ann", R"({"groups":[")" + older + R"("]})", 5);
        keepSnapshot("new", "user", "E-ann", R"({"groups":[")" + newest + R"("]})", 1);
        keepSnapshot("other", "user", "E-bob", R"({"groups":[")" + older + R"("]})", 1);

        const auto first = createUser("ann", "E-ann");
        CPPUNIT_ASSERT(!first.restored.empty());
        CPPUNIT_ASSERT(std::set<std::string>{newest} == groupsOf(first.record.id));
        CPPUNIT_ASSERT(std::set<std::string>({"old", "mid", "other"}) == snapshotIds());

        // Another directory object with the same externalId: the snapshot taken is gone, the
        // next newest inside the retention comes back, the one past it never.
        const auto second = createUser("ann-again", "E-ann");
        CPPUNIT_ASSERT(std::set<std::string>{older} == groupsOf(second.record.id));
        CPPUNIT_ASSERT(std::set<std::string>({"old", "other"}) == snapshotIds());
        const auto third = createUser("ann-third", "E-ann");
        CPPUNIT_ASSERT(third.restored.empty());
        CPPUNIT_ASSERT(groupsOf(third.record.id).empty());
        CPPUNIT_ASSERT(std::set<std::string>({"old", "other"}) == snapshotIds());
    }

    void aGroupsCreateTakesTheNewestSnapshotInsideTheRetentionOnce() {
        const std::string tooOld = createUser("too-old", "").record.id;
        const std::string older = createUser("older", "").record.id;
        const std::string newest = createUser("newest", "").record.id;
        keepSnapshot("old", "group", "G-1", R"({"members":[")" + tooOld + R"("]})", 40);
        keepSnapshot("mid", "group", "G-1", R"({"members":[")" + older + R"("]})", 5);
        keepSnapshot("new", "group", "G-1", R"({"members":[")" + newest + R"("]})", 1);
        keepSnapshot("user", "user", "G-1", R"({"groups":[]})", 1);  // a user's: not a group's

        const auto first = createGroup("first", "G-1");
        CPPUNIT_ASSERT(!first.restored.empty());
        CPPUNIT_ASSERT(std::set<std::string>{newest} == membersOf(first.record.id));
        const auto second = createGroup("second", "G-1");
        CPPUNIT_ASSERT(std::set<std::string>{older} == membersOf(second.record.id));
        const auto third = createGroup("third", "G-1");
        CPPUNIT_ASSERT(third.restored.empty());
        CPPUNIT_ASSERT(membersOf(third.record.id).empty());
        CPPUNIT_ASSERT(std::set<std::string>({"old", "user"}) == snapshotIds());
    }

    void aCreateWithoutItsExternalIdTakesNothing() {
        const std::string kept = group("kept");
        keepSnapshot("s", "user", "E-cy", R"({"groups":[")" + kept + R"("]})", 1);
        const auto other = createUser("cy", "E-other");
        const auto none = createUser("cy-none", "");
        CPPUNIT_ASSERT(other.restored.empty() && none.restored.empty());
        CPPUNIT_ASSERT(groupsOf(other.record.id).empty() && groupsOf(none.record.id).empty());
        CPPUNIT_ASSERT(std::set<std::string>{"s"} == snapshotIds());
    }

  protected:
    port::CreateResult createUser(const std::string& name, const std::string& externalId) {
        const std::string withId =
            externalId.empty() ? "" : R"(,"externalId":")" + externalId + "\"";
        return _users->createOrBind(
            resource(R"({"userName":")" + name + "@example.com\"" + withId + "}",
                     scim::userResourceSchema()),
            std::nullopt);
    }

    port::GroupWriteResult createGroup(const std::string& name, const std::string& externalId) {
        const std::string withId =
            externalId.empty() ? "" : R"(,"externalId":")" + externalId + "\"";
        return _groups->createOrBind(resource(R"({"displayName":")" + name + "\"" + withId + "}",
                                              scim::groupResourceSchema()),
                                     std::vector<std::string>{});
    }

    std::string group(const std::string& name) { return createGroup(name, "").record.id; }

    // What a deletion in TIM `ageDays` ago kept (Snapshots::save writes these columns).
    void keepSnapshot(std::string id, std::string kind, std::string externalId, std::string data,
                      int ageDays) {
        Poco::Data::Session session = _database->session();
        Poco::Int64 createdMs = daysAgoMs(ageDays);
        std::string nameKey = "name-" + id;
        session << "INSERT INTO scim_snapshot (id, kind, external_id, name_key, data, created_ms) "
                   "VALUES (?, ?, ?, ?, ?, ?)",
            use(id), use(kind), use(externalId), use(nameKey), use(data), use(createdMs), now;
    }

    std::set<std::string> column(const std::string& select, std::string key) {
        Poco::Data::Session session = _database->session();
        std::vector<std::string> values;
        session << select, use(key), into(values), now;
        return {values.begin(), values.end()};
    }
    std::set<std::string> groupsOf(const std::string& userId) {
        return column("SELECT group_id FROM tim_group_member WHERE member_id = ?", userId);
    }
    std::set<std::string> membersOf(const std::string& groupId) {
        return column("SELECT member_id FROM tim_group_member WHERE group_id = ?", groupId);
    }
    std::set<std::string> snapshotIds() {
        return column("SELECT id FROM scim_snapshot WHERE id <> ?", "");
    }
};

TIM_ENGINE_SUITES(SnapshotRestore);

// On MariaDB two creates with one externalId can read the same snapshot at once (writers take
// turns on SQLite): the one that deletes it second restores nothing.
class SnapshotTakenMeanwhileMariaDBTest : public SnapshotRestoreContract {
    CPPUNIT_TEST_SUITE(SnapshotTakenMeanwhileMariaDBTest);
    CPPUNIT_TEST(aSnapshotAnotherCreateTookIsNotRestoredTwice);
    CPPUNIT_TEST_SUITE_END();

  public:
    store::DatabaseConfig freshConfig() override { return testing::freshMariaDBConfig(); }

    void aSnapshotAnotherCreateTookIsNotRestoredTwice() {
        const std::string kept = group("kept");
        keepSnapshot("s", "user", "E-dan", R"({"groups":[")" + kept + R"("]})", 1);
        std::optional<std::vector<std::string>> late;
        _transactions->run([&](port::AccountTransaction& tx) {
            port::UserColumns columns;
            columns.userName = columns.userNameKey = "dan-late@example.com";
            columns.externalId = "E-dan";
            tx.userCandidates(columns);  // reads the snapshot, takes no lock
            // Another create takes it and commits; its failure fails this test, not the run.
            std::async(std::launch::async, [&] { createUser("dan", "E-dan"); }).get();
            late = tx.takeSnapshot(
                {port::AccountKind::User, "late", columns.externalId, "dan-late@example.com"},
                daysAgoMs(30));
        });
        CPPUNIT_ASSERT(!late);
        CPPUNIT_ASSERT(snapshotIds().empty());
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(SnapshotRestoreSQLiteTest, "SnapshotRestoreSQLiteTest");
CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(SnapshotRestoreMariaDBTest, "SnapshotRestoreMariaDBTest");
CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(SnapshotTakenMeanwhileMariaDBTest,
                                      "SnapshotTakenMeanwhileMariaDBTest");
