// TIM's role grants and the restore after a deletion in TIM (tim/RoleGrants.h,
// tim/AccountService.h) on a transaction in memory: which roles a user holds from SCIM, who is
// out of reach, nested role groups, and what a re-created account gets back.
#include "support/FakeAccountTransactions.h"
#include "tim/AccountService.h"

#include <cppunit/extensions/HelperMacros.h>

using testing::FakeAccounts;
using testing::FakeAccountTransaction;

namespace {

using Grants = std::set<port::RoleGrant>;

const Poco::Timestamp kNow = Poco::Timestamp::fromEpochTime(1800000000);
constexpr Poco::Int64 kDayMs = 24 * 3600 * 1000;

tim::AccountService rulesWith(tim::RoleReach reach) {
    tim::AccountSettings settings;
    settings.roleReach = reach;
    settings.now = [] { return kNow; };
    return tim::AccountService(settings);
}

port::CreatedAccount created(port::AccountKind kind, const std::string& id,
                             const std::string& externalId) {
    port::CreatedAccount account;
    account.kind = kind;
    account.id = id;
    if (!externalId.empty()) {
        account.externalId = externalId;
    }
    return account;
}

}  // namespace

class RoleGrantsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RoleGrantsTest);
    CPPUNIT_TEST(aUserHoldsTheGrantableRolesOfItsRoleGroupsOnly);
    CPPUNIT_TEST(accountsOutOfReachAreNeverTouched);
    CPPUNIT_TEST(nestedRoleGroupsReachTheUsersBelow);
    CPPUNIT_TEST(aRecreatedUserGetsItsGroupsAndTheirRolesBack);
    CPPUNIT_TEST(aRecreatedGroupGetsItsMembersBack);
    CPPUNIT_TEST_SUITE_END();

  public:
    void setUp() override {
        _state = FakeAccounts{};
        _state.catalogue["auditor"] = {"auditor", false};
        _state.catalogue["admin"] = {"admin", true};
    }

    void aUserHoldsTheGrantableRolesOfItsRoleGroupsOnly() {
        _state.joinRoleGroup("u-1", "auditor");
        _state.joinRoleGroup("u-1", "admin");       // internal: TIM's alone to give
        _state.joinRoleGroup("u-1", "nosuchrole");  // unknown to the catalogue
        const auto rules = rulesWith(tim::RoleReach::Direct);
        auto tally = rules.grantRoles(_tx, {"u-1"});
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), tally.granted);
        CPPUNIT_ASSERT((_state.scimGrants == Grants{{"u-1", "auditor"}}));

        _state.memberships.erase(_state.memberships.begin());  // left the auditor group
        tally = rules.grantRoles(_tx, {"u-1"});
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), tally.revoked);
        CPPUNIT_ASSERT(_state.scimGrants.empty());
    }

    void accountsOutOfReachAreNeverTouched() {
        _state.joinRoleGroup("sys-1", "auditor");
        _state.outOfReach.insert("sys-1");
        _state.scimGrants.insert({"sys-1", "reviewer"});
        const auto tally = rulesWith(tim::RoleReach::Direct).grantRoles(_tx, {"sys-1"});
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), tally.granted + tally.revoked);
        CPPUNIT_ASSERT((_state.scimGrants == Grants{{"sys-1", "reviewer"}}));
    }

    void nestedRoleGroupsReachTheUsersBelow() {
        _state.users.insert("u-1");
        _state.groups["team"] = "";
        _state.groups["role-auditor"] = "auditor";
        _state.memberships.push_back({"team", "u-1", port::AccountKind::User});
        _state.memberships.push_back({"role-auditor", "team", port::AccountKind::Group});
        rulesWith(tim::RoleReach::Direct).grantRoles(_tx, {"u-1"});
        CPPUNIT_ASSERT(_state.scimGrants.empty());
        // A write to the team (its id) reaches the users below it.
        const auto tally = rulesWith(tim::RoleReach::Nested).grantRoles(_tx, {"team"});
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), tally.granted);
        CPPUNIT_ASSERT((_state.scimGrants == Grants{{"u-1", "auditor"}}));
    }

    void aRecreatedUserGetsItsGroupsAndTheirRolesBack() {
        _state.groups["role-auditor"] = "auditor";
        const Poco::Int64 nowMs = kNow.epochMicroseconds() / 1000;
        _state.snapshots[{port::AccountKind::User, "E-1"}] = {nowMs - kDayMs,
                                                              {"role-auditor", "deleted-group"}};
        _state.snapshots[{port::AccountKind::User, "E-old"}] = {nowMs - 31 * kDayMs,
                                                                {"role-auditor"}};
        _state.users.insert("u-9");
        const auto rules = rulesWith(tim::RoleReach::Direct);

        CPPUNIT_ASSERT_EQUAL(std::string(""),
                             rules.restore(_tx, created(port::AccountKind::User, "u-9", "")));
        CPPUNIT_ASSERT_EQUAL(std::string(""),
                             rules.restore(_tx, created(port::AccountKind::User, "u-9", "E-old")));
        CPPUNIT_ASSERT(_state.memberships.empty());

        const std::string said = rules.restore(_tx, created(port::AccountKind::User, "u-9", "E-1"));
        CPPUNIT_ASSERT_EQUAL(std::string("restored 1 membership(s) and the roles their role groups "
                                         "grant, from a deletion in TIM"),
                             said);
        CPPUNIT_ASSERT((_state.scimGrants == Grants{{"u-9", "auditor"}}));
        // A snapshot is used once.
        CPPUNIT_ASSERT_EQUAL(std::string(""),
                             rules.restore(_tx, created(port::AccountKind::User, "u-10", "E-1")));
    }

    void aRecreatedGroupGetsItsMembersBack() {
        _state.users.insert("u-1");
        _state.groups["g-new"] = "auditor";
        _state.snapshots[{port::AccountKind::Group, "G-1"}] = {kNow.epochMicroseconds() / 1000,
                                                               {"u-1", "u-gone"}};
        const std::string said =
            rulesWith(tim::RoleReach::Direct)
                .restore(_tx, created(port::AccountKind::Group, "g-new", "G-1"));
        CPPUNIT_ASSERT_EQUAL(std::string("restored 1 member(s) from a deletion in TIM"), said);
        CPPUNIT_ASSERT((_state.scimGrants == Grants{{"u-1", "auditor"}}));
    }

  private:
    FakeAccounts _state;
    FakeAccountTransaction _tx{_state};
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(RoleGrantsTest, "RoleGrantsTest");
