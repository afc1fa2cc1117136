// TIM's account rules as pure decisions: binding (guide FAQ 4), passwords (FAQ 3) and the
// roles role groups grant. The store carries them out; tests/e2e/AccountSafetyTest.cpp checks
// that it does, over HTTP on both engines.
#include "tim/Binding.h"
#include "tim/PasswordPolicy.h"
#include "tim/RoleGrants.h"

#include <Poco/Exception.h>

#include <cppunit/extensions/HelperMacros.h>

#include <set>
#include <tuple>

namespace {

using port::AccountCandidate;
using port::BindDecision;
using port::MatchedBy;

AccountCandidate holder(const std::string& id) {
    AccountCandidate c;
    c.via = MatchedBy::UserName;
    c.id = id;
    return c;
}

AccountCandidate emailOwner(const std::string& id) {
    AccountCandidate c = holder(id);
    c.via = MatchedBy::Email;
    return c;
}

}  // namespace

class AccountRulesTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(AccountRulesTest);
    CPPUNIT_TEST(theUserNamesHolderDecides);
    CPPUNIT_TEST(anEmailBindsOnlyOneBindablePerson);
    CPPUNIT_TEST(theModeLimitsBinding);
    CPPUNIT_TEST(passwordsFollowTheEvent);
    CPPUNIT_TEST(roleGroupsGrantOnlyGrantableRoles);
    CPPUNIT_TEST(nestedRoleGroupsReachEveryUserBelowOnce);
    CPPUNIT_TEST_SUITE_END();

  public:
    void theUserNamesHolderDecides() {
        const auto mode = tim::BindingMode::UserNameOrEmail;
        CPPUNIT_ASSERT(tim::decideBinding(mode, {}).kind == BindDecision::Kind::Create);

        auto unmanaged = holder("u1");
        auto decision = tim::decideBinding(mode, {unmanaged, emailOwner("u2")});
        CPPUNIT_ASSERT(decision.kind == BindDecision::Kind::Bind);
        CPPUNIT_ASSERT_EQUAL(std::string("u1"), decision.id);
        CPPUNIT_ASSERT(decision.via == MatchedBy::UserName);

        auto managed = holder("m1");
        managed.managed = true;
        decision = tim::decideBinding(mode, {managed});
        CPPUNIT_ASSERT(decision.kind == BindDecision::Kind::Refuse);
        CPPUNIT_ASSERT(decision.refusal == BindDecision::Refusal::NameTaken);

        auto admin = holder("a1");
        admin.isProtected = true;
        decision = tim::decideBinding(mode, {admin});
        CPPUNIT_ASSERT(decision.kind == BindDecision::Kind::Refuse);
        CPPUNIT_ASSERT(decision.refusal == BindDecision::Refusal::Protected);

        // A managed administrator stays SCIM's: its userName is simply taken.
        managed.isProtected = true;
        CPPUNIT_ASSERT(tim::decideBinding(mode, {managed}).refusal ==
                       BindDecision::Refusal::NameTaken);

        auto system = holder("s1");
        system.person = false;
        CPPUNIT_ASSERT(tim::decideBinding(mode, {system}).refusal ==
                       BindDecision::Refusal::Reserved);

        // A deleted user comes back only as the same directory object (its externalId);
        // anyone else with its userName is a new user, and the deleted one is erased.
        auto deleted = holder("d1");
        deleted.managed = true;
        deleted.deleted = true;
        deleted.externalId = "x-1";
        decision = tim::decideBinding(mode, {deleted}, std::string("x-1"));
        CPPUNIT_ASSERT(decision.kind == BindDecision::Kind::Revive);
        CPPUNIT_ASSERT_EQUAL(std::string("d1"), decision.id);
        for (const auto& other : {std::optional<std::string>("x-2"), std::optional<std::string>(),
                                  std::optional<std::string>("X-1")}) {
            decision = tim::decideBinding(mode, {deleted}, other);
            CPPUNIT_ASSERT(decision.kind == BindDecision::Kind::Recycle);
            CPPUNIT_ASSERT_EQUAL(std::string("d1"), decision.id);
        }
        deleted.externalId.reset();  // without one on either side: not the same object
        CPPUNIT_ASSERT(tim::decideBinding(mode, {deleted}).kind == BindDecision::Kind::Recycle);
    }

    void anEmailBindsOnlyOneBindablePerson() {
        const auto mode = tim::BindingMode::UserNameOrEmail;
        auto decision = tim::decideBinding(mode, {emailOwner("e1")});
        CPPUNIT_ASSERT(decision.kind == BindDecision::Kind::Bind);
        CPPUNIT_ASSERT(decision.via == MatchedBy::Email);
        // One account matching by two emails is still one.
        CPPUNIT_ASSERT(tim::decideBinding(mode, {emailOwner("e1"), emailOwner("e1")}).kind ==
                       BindDecision::Kind::Bind);
        // Two: ambiguous, a new user (emails are not unique).
        CPPUNIT_ASSERT(tim::decideBinding(mode, {emailOwner("e1"), emailOwner("e2")}).kind ==
                       BindDecision::Kind::Create);
        // Protected, managed, deleted or system accounts are no match.
        for (auto change : {+[](AccountCandidate& c) { c.isProtected = true; },
                            +[](AccountCandidate& c) { c.managed = true; },
                            +[](AccountCandidate& c) { c.deleted = true; },
                            +[](AccountCandidate& c) { c.person = false; }}) {
            auto owner = emailOwner("e1");
            change(owner);
            CPPUNIT_ASSERT(tim::decideBinding(mode, {owner}).kind == BindDecision::Kind::Create);
            // and do not make another owner ambiguous
            CPPUNIT_ASSERT(tim::decideBinding(mode, {owner, emailOwner("e2")}).id == "e2");
        }
    }

    void theModeLimitsBinding() {
        CPPUNIT_ASSERT(tim::decideBinding(tim::BindingMode::UserName, {emailOwner("e1")}).kind ==
                       BindDecision::Kind::Create);
        CPPUNIT_ASSERT(tim::decideBinding(tim::BindingMode::UserName, {holder("u1")}).kind ==
                       BindDecision::Kind::Bind);
        const auto off = tim::decideBinding(tim::BindingMode::Off, {holder("u1")});
        CPPUNIT_ASSERT(off.kind == BindDecision::Kind::Refuse);
        CPPUNIT_ASSERT(off.refusal == BindDecision::Refusal::NameTaken);
        CPPUNIT_ASSERT(tim::decideBinding(tim::BindingMode::Off, {emailOwner("e1")}).kind ==
                       BindDecision::Kind::Create);
        CPPUNIT_ASSERT(tim::parseBindingMode("USERNAME") == tim::BindingMode::UserName);
        CPPUNIT_ASSERT_THROW(tim::parseBindingMode("email"), Poco::InvalidArgumentException);
    }

    void passwordsFollowTheEvent() {
        using tim::AccountEvent;
        const std::optional<std::string> client = std::string("client-hash");
        const std::string initial = "default-hash";

        auto change = tim::passwordChangeOn(AccountEvent::Created, client, initial);
        CPPUNIT_ASSERT(!change.keep);
        CPPUNIT_ASSERT_EQUAL(std::string("client-hash"), change.hash.value());
        CPPUNIT_ASSERT(!change.mustChange);

        change = tim::passwordChangeOn(AccountEvent::Created, std::nullopt, initial);
        CPPUNIT_ASSERT(!change.keep);
        CPPUNIT_ASSERT_EQUAL(initial, change.hash.value());
        CPPUNIT_ASSERT(change.mustChange);

        // No default configured: no password, to be set in TIM.
        change = tim::passwordChangeOn(AccountEvent::Created, std::nullopt, "");
        CPPUNIT_ASSERT(!change.keep);
        CPPUNIT_ASSERT(change.hash.isNull());
        CPPUNIT_ASSERT(change.mustChange);

        // A bind never touches the account's password, whatever the request carries.
        CPPUNIT_ASSERT(tim::passwordChangeOn(AccountEvent::Bound, client, initial).keep);
        CPPUNIT_ASSERT(tim::passwordChangeOn(AccountEvent::Bound, std::nullopt, initial).keep);

        change = tim::passwordChangeOn(AccountEvent::Updated, client, initial);
        CPPUNIT_ASSERT(!change.keep);
        CPPUNIT_ASSERT_EQUAL(std::string("client-hash"), change.hash.value());
        CPPUNIT_ASSERT(!change.mustChange);
        CPPUNIT_ASSERT(tim::passwordChangeOn(AccountEvent::Updated, std::nullopt, initial).keep);
    }

    void roleGroupsGrantOnlyGrantableRoles() {
        using port::RoleStanding;
        const std::vector<port::RoleOffer> offers{
            {"alice", "designer", RoleStanding::Grantable},
            {"alice", "designer", RoleStanding::Grantable},  // two role groups, one role
            {"alice", "admin", RoleStanding::Internal},      // protected: TIM's alone
            {"bob", "auditor", RoleStanding::Unknown},       // not in the catalogue
            {"bob", "viewer", RoleStanding::Grantable},
        };
        const std::set<port::RoleGrant> current{
            {"alice", "designer"},  // kept
            {"bob", "auditor"},     // left the catalogue: revoked
            {"carol", "viewer"},    // left the role group: revoked
        };
        const auto changes = tim::grantChanges(offers, current);
        CPPUNIT_ASSERT((changes.grants == std::set<port::RoleGrant>{{"bob", "viewer"}}));
        CPPUNIT_ASSERT((changes.revocations ==
                        std::set<port::RoleGrant>{{"bob", "auditor"}, {"carol", "viewer"}}));
        const auto none = tim::grantChanges({}, {});
        CPPUNIT_ASSERT(none.grants.empty() && none.revocations.empty());
    }

    // role.designer ⊃ sales ⊃ emea ⊃ alice, emea ⊃ sales (a cycle), role.auditor ⊃ emea,
    // bob in sales and in role.viewer (internal).
    void nestedRoleGroupsReachEveryUserBelowOnce() {
        using port::AccountKind;
        using port::RoleStanding;
        const std::vector<port::Membership> above{
            {"emea", "alice", AccountKind::User},     {"sales", "emea", AccountKind::Group},
            {"emea", "sales", AccountKind::Group},    {"designers", "sales", AccountKind::Group},
            {"auditors", "emea", AccountKind::Group}, {"sales", "bob", AccountKind::User},
            {"viewers", "bob", AccountKind::User},
        };
        const std::vector<port::GroupRole> roles{
            {"designers", "designer", RoleStanding::Grantable},
            {"auditors", "auditor", RoleStanding::Grantable},
            {"viewers", "viewer", RoleStanding::Internal},
        };
        std::set<std::tuple<std::string, std::string, RoleStanding>> offered;
        std::size_t count = 0;
        for (const auto& offer : tim::nestedOffers(above, roles)) {
            offered.emplace(offer.userId, offer.role, offer.standing);
            ++count;
        }
        CPPUNIT_ASSERT((offered == std::set<std::tuple<std::string, std::string, RoleStanding>>{
                                       {"alice", "designer", RoleStanding::Grantable},
                                       {"alice", "auditor", RoleStanding::Grantable},
                                       {"bob", "designer", RoleStanding::Grantable},
                                       {"bob", "auditor", RoleStanding::Grantable},
                                       {"bob", "viewer", RoleStanding::Internal},
                                   }));
        CPPUNIT_ASSERT_EQUAL(offered.size(), count);  // each group counted once per user
        // Groups get no offers; only the users below them do.
        CPPUNIT_ASSERT(
            tim::nestedOffers({{"designers", "sales", AccountKind::Group}}, roles).empty());
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(AccountRulesTest, "AccountRulesTest");
