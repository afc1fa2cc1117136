// TIM's group use cases (tim/GroupService.h) on a transaction in memory: binding a group TIM
// created, refusing a duplicate, the roles a rename or a deletion moves, the group TIM keeps for
// members out of SCIM's reach, a deletion in TIM undone by the re-creation, and a stale version.
#include "support/FakeAccountTransactions.h"
#include "tim/GroupService.h"

#include "port/StoreErrors.h"

#include <Poco/JSON/Parser.h>

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <stdexcept>

using testing::FakeAccounts;
using testing::FakeAccountTransactions;

namespace {

using Grants = std::set<port::RoleGrant>;
using Ids = std::vector<std::string>;

// The use cases never read through it: the endpoints do.
class NoReads final : public port::GroupReads {
  public:
    std::optional<port::GroupRecord> find(const std::string&) override { refuse(); }
    std::vector<port::GroupMember> members(const std::string&) override { refuse(); }
    port::GroupPage query(const port::GroupQuery&, bool, const port::RenderGroup&) override {
        refuse();
    }
    std::vector<port::CataloguedRole> roleCatalogue() override { refuse(); }
    bool rolesCatalogued(const std::string&) override { refuse(); }

  private:
    [[noreturn]] static void refuse() { throw std::logic_error("a use case read outside its run"); }
};

Poco::JSON::Object::Ptr groupDoc(const std::string& json) {
    return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
}

// A change that renames the group.
port::ChangeGroup renamedTo(const std::string& name) {
    return [name](const port::GroupRecord& current) {
        Poco::JSON::Object::Ptr next = new Poco::JSON::Object(*current.doc);
        next->set("displayName", name);
        return next;
    };
}

// The audit row of the last write itself, not of the grants it moved.
const port::AuditEvent& lastWrite(const FakeAccounts& state) {
    const auto found =
        std::find_if(state.audit.rbegin(), state.audit.rend(), [](const port::AuditEvent& e) {
            return e.operation != "grant" && e.operation != "revoke";
        });
    if (found == state.audit.rend()) {
        throw std::logic_error("no write was audited");
    }
    return *found;
}

}  // namespace

class GroupServiceTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(GroupServiceTest);
    CPPUNIT_TEST(aGroupTimCreatedBindsAndOneScimManagesIsADuplicate);
    CPPUNIT_TEST(aRenameMovesTheRoleWithTheGroup);
    CPPUNIT_TEST(deletingARoleGroupRevokesItsRoleAndKeepsTimsMembers);
    CPPUNIT_TEST(aGroupDeletedInTimComesBackWithItsMembersAndRoles);
    CPPUNIT_TEST(aStaleVersionOrAMissingGroupChangesNothing);
    CPPUNIT_TEST(aWriteThatChangesNothingIsNotAudited);
    CPPUNIT_TEST(aRenameIntoATakenNameChangesNothing);
    CPPUNIT_TEST_SUITE_END();

  public:
    void setUp() override {
        _transactions = FakeAccountTransactions{};
        _transactions.state.catalogue["auditor"] = {"auditor", false};
        _transactions.state.users = {"u-1", "u-2", "sys-1"};
        _transactions.state.outOfReach = {"sys-1"};
    }

    void aGroupTimCreatedBindsAndOneScimManagesIsADuplicate() {
        FakeAccounts& state = _transactions.state;
        port::GroupRow tims;
        tims.displayName = "Sales";
        tims.displayNameKey = "sales";
        tims.doc = groupDoc(R"({"displayName":"Sales"})");
        state.groupRows["g-tim"] = testing::FakeGroup{tims, 1, false};
        state.groups["g-tim"] = "";
        state.memberships.push_back({"g-tim", "u-1", port::AccountKind::User});

        const auto bound =
            _groups.createOrBind(groupDoc(R"({"displayName":"SALES","externalId":"e-1"})"), {});
        CPPUNIT_ASSERT(bound.bound);
        CPPUNIT_ASSERT_EQUAL(std::string("g-tim"), bound.record.id);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), bound.record.version);
        CPPUNIT_ASSERT(state.groupRows.at("g-tim").managed);
        CPPUNIT_ASSERT_EQUAL(std::string("bind"), lastWrite(state).operation);

        const FakeAccounts before = state;
        try {
            _groups.createOrBind(groupDoc(R"({"displayName":"sales"})"), Ids{"u-2"});
            CPPUNIT_FAIL("a second group of a name SCIM manages was created");
        } catch (const port::Conflict& e) {
            CPPUNIT_ASSERT(e.kind() == port::Conflict::Kind::Uniqueness);
            CPPUNIT_ASSERT_EQUAL(std::string("g-tim"), e.holder());
        }
        CPPUNIT_ASSERT_EQUAL(before.groupRows.size(), state.groupRows.size());
        CPPUNIT_ASSERT_EQUAL(before.memberships.size(), state.memberships.size());
        CPPUNIT_ASSERT_EQUAL(before.audit.size(), state.audit.size());
    }

    void aRenameMovesTheRoleWithTheGroup() {
        FakeAccounts& state = _transactions.state;
        const std::string id =
            _groups.createOrBind(groupDoc(R"({"displayName":"Sales"})"), Ids{"u-1"}).record.id;
        CPPUNIT_ASSERT(state.scimGrants.empty());

        _groups.patch(id, renamedTo("role.auditor"), {}, std::nullopt);
        CPPUNIT_ASSERT((state.scimGrants == Grants{{"u-1", "auditor"}}));
        CPPUNIT_ASSERT_EQUAL(std::string("patch"), lastWrite(state).operation);
        CPPUNIT_ASSERT((lastWrite(state).changed == std::vector<std::string>{"displayName"}));
        CPPUNIT_ASSERT_EQUAL(std::string("grant"), state.audit.back().operation);

        _groups.patch(id, {}, {{port::MemberChange::Kind::Add, {"u-2"}}}, std::nullopt);
        CPPUNIT_ASSERT((state.scimGrants == Grants{{"u-1", "auditor"}, {"u-2", "auditor"}}));

        _groups.replace(id, groupDoc(R"({"displayName":"Sales"})"), Ids{"u-2"}, std::nullopt);
        CPPUNIT_ASSERT(state.scimGrants.empty());
    }

    void deletingARoleGroupRevokesItsRoleAndKeepsTimsMembers() {
        FakeAccounts& state = _transactions.state;
        const std::string id =
            _groups
                .createOrBind(groupDoc(R"({"displayName":"role.auditor","externalId":"e-1"})"),
                              Ids{"u-1"})
                .record.id;
        state.memberships.push_back({id, "sys-1", port::AccountKind::User});  // TIM's doing
        CPPUNIT_ASSERT((state.scimGrants == Grants{{"u-1", "auditor"}}));

        CPPUNIT_ASSERT(_groups.remove(id, std::nullopt));
        CPPUNIT_ASSERT(state.scimGrants.empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), state.groupRows.count(id));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), state.groupRows.size());
        const std::string keptId = state.groupRows.begin()->first;
        const testing::FakeGroup kept = state.groupRows.begin()->second;
        CPPUNIT_ASSERT(!kept.managed);
        CPPUNIT_ASSERT(kept.row.externalId.isNull());
        CPPUNIT_ASSERT(!kept.row.doc->has("externalId"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), state.memberships.size());
        CPPUNIT_ASSERT_EQUAL(keptId, state.memberships.front().groupId);
        CPPUNIT_ASSERT_EQUAL(std::string("sys-1"), state.memberships.front().memberId);
        const auto deleted = std::find_if(state.audit.begin(), state.audit.end(),
                                          [](const auto& e) { return e.operation == "delete"; });
        CPPUNIT_ASSERT(deleted != state.audit.end());
        CPPUNIT_ASSERT_EQUAL(std::string("kept-for-tim"), deleted->outcome);

        // The next create of the name binds to the group TIM kept.
        const auto again = _groups.createOrBind(groupDoc(R"({"displayName":"role.auditor"})"), {});
        CPPUNIT_ASSERT(again.bound);
        CPPUNIT_ASSERT_EQUAL(keptId, again.record.id);
        CPPUNIT_ASSERT(!_groups.remove("no-such-group", std::nullopt));
    }

    void aGroupDeletedInTimComesBackWithItsMembersAndRoles() {
        FakeAccounts& state = _transactions.state;
        const auto doc = groupDoc(R"({"displayName":"role.auditor","externalId":"e-1"})");
        const std::string id = _groups.createOrBind(doc, Ids{"u-1", "u-2"}).record.id;
        CPPUNIT_ASSERT(_groups.deleteInTim(id));
        CPPUNIT_ASSERT(state.scimGrants.empty());
        CPPUNIT_ASSERT(state.memberships.empty());
        CPPUNIT_ASSERT_EQUAL(std::string("tim-delete"), lastWrite(state).operation);
        CPPUNIT_ASSERT_EQUAL(std::string("e-1"), lastWrite(state).externalId.value());
        CPPUNIT_ASSERT(!_groups.deleteInTim(id));

        const auto recreated = _groups.createOrBind(doc, std::nullopt);
        CPPUNIT_ASSERT(!recreated.restored.empty());
        CPPUNIT_ASSERT((state.scimGrants == Grants{{"u-1", "auditor"}, {"u-2", "auditor"}}));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), state.memberships.size());
        CPPUNIT_ASSERT_EQUAL(std::string("restored"), lastWrite(state).outcome);
    }

    void aStaleVersionOrAMissingGroupChangesNothing() {
        FakeAccounts& state = _transactions.state;
        const std::string id =
            _groups.createOrBind(groupDoc(R"({"displayName":"Sales"})"), Ids{"u-1"}).record.id;
        const auto audited = state.audit.size();
        CPPUNIT_ASSERT_THROW(_groups.patch(id, renamedTo("role.auditor"),
                                           {{port::MemberChange::Kind::Add, {"u-2"}}}, 7),
                             port::VersionMismatch);
        CPPUNIT_ASSERT_THROW(_groups.remove(id, 7), port::VersionMismatch);
        CPPUNIT_ASSERT_THROW(_groups.patch("no-such-group", renamedTo("x"), {}, std::nullopt),
                             port::NotFound);
        CPPUNIT_ASSERT_EQUAL(std::string("Sales"), state.groupRows.at(id).row.displayName);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), state.memberships.size());
        CPPUNIT_ASSERT(state.scimGrants.empty());
        CPPUNIT_ASSERT_EQUAL(audited, state.audit.size());
    }

    void aWriteThatChangesNothingIsNotAudited() {
        FakeAccounts& state = _transactions.state;
        const std::string id =
            _groups.createOrBind(groupDoc(R"({"displayName":"Sales"})"), Ids{"u-1"}).record.id;
        const auto audited = state.audit.size();
        _groups.patch(id, {}, {{port::MemberChange::Kind::Remove, {"u-2"}}}, std::nullopt);
        _groups.patch(id, renamedTo("Sales"), {}, std::nullopt);
        CPPUNIT_ASSERT_EQUAL(audited, state.audit.size());
        _groups.patch(id, {}, {{port::MemberChange::Kind::Remove, {"u-1"}}}, std::nullopt);
        CPPUNIT_ASSERT_EQUAL(audited + 1, state.audit.size());
        CPPUNIT_ASSERT((state.audit.back().changed == std::vector<std::string>{"members"}));
    }

    void aRenameIntoATakenNameChangesNothing() {
        FakeAccounts& state = _transactions.state;
        const std::string sales =
            _groups.createOrBind(groupDoc(R"({"displayName":"Sales"})"), Ids{"u-1"}).record.id;
        CPPUNIT_ASSERT(
            (lastWrite(state).changed == std::vector<std::string>{"displayName", "members"}));
        const std::string support =
            _groups.createOrBind(groupDoc(R"({"displayName":"Support"})"), Ids{}).record.id;
        const auto audited = state.audit.size();
        try {
            _groups.patch(support, renamedTo("SALES"), {{port::MemberChange::Kind::Add, {"u-2"}}},
                          std::nullopt);
            CPPUNIT_FAIL("two groups hold one displayName");
        } catch (const port::Conflict& e) {
            CPPUNIT_ASSERT_EQUAL(sales, e.holder());
        }
        CPPUNIT_ASSERT_EQUAL(std::string("Support"), state.groupRows.at(support).row.displayName);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), state.memberships.size());
        CPPUNIT_ASSERT_EQUAL(audited, state.audit.size());
    }

  private:
    FakeAccountTransactions _transactions;
    NoReads _reads;
    tim::AccountService _rules{tim::AccountSettings{}};
    tim::GroupService _groups{_transactions, _reads, _rules};
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(GroupServiceTest, "GroupServiceTest");
