// The role catalogue use case (tim/RoleCatalogue.h) on a transaction in memory: what a listing
// adds, what an unlisting gives back, when grants are recomputed, and that a recompute cut short
// is finished at the next start.
#include "support/FakeAccountTransactions.h"
#include "tim/RoleCatalogue.h"

#include <cppunit/extensions/HelperMacros.h>

using testing::FakeAccountTransactions;

namespace {

std::vector<std::string> roles(std::initializer_list<const char*> names) {
    return {names.begin(), names.end()};
}

}  // namespace

class RoleCatalogueTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RoleCatalogueTest);
    CPPUNIT_TEST(aListedRoleJoinsTheCatalogueAndLeavesItWhenUnlisted);
    CPPUNIT_TEST(anUnlistedRoleGetsBackTheStandingTimGaveIt);
    CPPUNIT_TEST(anUnchangedListingRecomputesNothing);
    CPPUNIT_TEST(grantsFollowTheCatalogue);
    CPPUNIT_TEST(aRecomputeCutShortIsFinishedAtTheNextStart);
    CPPUNIT_TEST(aRunRetriedReportsItsChangesOnce);
    CPPUNIT_TEST_SUITE_END();

  public:
    void aListedRoleJoinsTheCatalogueAndLeavesItWhenUnlisted() {
        auto change = tim::applyRoleCatalogue(_tx, _rules, roles({"Auditor"}), {});
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), change.roles.size());
        CPPUNIT_ASSERT_EQUAL(std::string("Auditor"), change.roles[0]);
        CPPUNIT_ASSERT(_tx.state.catalogue.count("auditor"));
        CPPUNIT_ASSERT_EQUAL(std::string("Auditor"), _tx.state.catalogue["auditor"].first);
        CPPUNIT_ASSERT(!_tx.state.catalogue["auditor"].second);
        CPPUNIT_ASSERT(_tx.state.listings.count("auditor"));
        CPPUNIT_ASSERT(!_tx.state.listings.at("auditor").prior.has_value());
        CPPUNIT_ASSERT(change.recomputed);
        CPPUNIT_ASSERT(_tx.state.marks.empty());

        change = tim::applyRoleCatalogue(_tx, _rules, {}, {});
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), change.roles.size());
        CPPUNIT_ASSERT(!_tx.state.catalogue.count("auditor"));  // the plugin added it
        CPPUNIT_ASSERT(_tx.state.listings.empty());
    }

    void anUnlistedRoleGetsBackTheStandingTimGaveIt() {
        _tx.state.catalogue["processmanager"] = {"ProcessManager", false};  // TIM's own
        tim::applyRoleCatalogue(_tx, _rules, {}, roles({"processmanager"}));
        CPPUNIT_ASSERT(_tx.state.catalogue["processmanager"].second);
        CPPUNIT_ASSERT_EQUAL(std::string("ProcessManager"),
                             _tx.state.catalogue["processmanager"].first);
        CPPUNIT_ASSERT(_tx.state.listings.count("processmanager"));
        CPPUNIT_ASSERT(_tx.state.listings.at("processmanager").prior == std::optional<bool>(false));

        // Listed in both lists: internal wins.
        tim::applyRoleCatalogue(_tx, _rules, roles({"processmanager"}), roles({"processmanager"}));
        CPPUNIT_ASSERT(_tx.state.catalogue["processmanager"].second);

        tim::applyRoleCatalogue(_tx, _rules, {}, {});
        CPPUNIT_ASSERT(_tx.state.catalogue.count("processmanager"));
        CPPUNIT_ASSERT(!_tx.state.catalogue["processmanager"].second);
        CPPUNIT_ASSERT(_tx.state.listings.empty());
    }

    void anUnchangedListingRecomputesNothing() {
        _tx.state.joinRoleGroup("u-1", "auditor");
        tim::applyRoleCatalogue(_tx, _rules, roles({"auditor"}), {});
        const int runs = _tx.runs;
        const auto change = tim::applyRoleCatalogue(_tx, _rules, roles({"auditor"}), {});
        CPPUNIT_ASSERT(change.roles.empty());
        CPPUNIT_ASSERT(!change.recomputed);
        CPPUNIT_ASSERT_EQUAL(runs + 1, _tx.runs);  // the listing's own transaction only
    }

    void grantsFollowTheCatalogue() {
        _tx.state.joinRoleGroup("u-1", "auditor");
        _tx.state.joinRoleGroup("u-2", "auditor");
        _tx.state.outOfReach.insert("u-2");  // a system identity: TIM's alone
        _tx.state.scimGrants.insert({"u-2", "reviewer"});
        auto change = tim::applyRoleCatalogue(_tx, _rules, roles({"auditor"}), {});
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), change.accountsRecomputed);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), change.granted);
        CPPUNIT_ASSERT(_tx.state.scimGrants.count({"u-1", "auditor"}));
        CPPUNIT_ASSERT(!_tx.state.scimGrants.count({"u-2", "auditor"}));
        CPPUNIT_ASSERT(_tx.state.scimGrants.count({"u-2", "reviewer"}));

        change = tim::applyRoleCatalogue(_tx, _rules, {}, roles({"auditor"}));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), change.revoked);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _tx.state.scimGrants.size());
        CPPUNIT_ASSERT(_tx.state.scimGrants.count({"u-2", "reviewer"}));
    }

    void aRecomputeCutShortIsFinishedAtTheNextStart() {
        const std::size_t users = 2 * tim::kRoleRecomputeBatch + 10;  // three batches
        for (std::size_t i = 0; i < users; ++i) {
            _tx.state.joinRoleGroup("u-" + std::to_string(1000 + i), "auditor");
        }
        _tx.failingRun = 4;  // listing, holders, batch 1, then batch 2 fails
        CPPUNIT_ASSERT_THROW(tim::applyRoleCatalogue(_tx, _rules, roles({"auditor"}), {}),
                             port::Unavailable);
        CPPUNIT_ASSERT_EQUAL(tim::kRoleRecomputeBatch, _tx.state.scimGrants.size());
        CPPUNIT_ASSERT(!_tx.state.marks.empty());

        const auto change = tim::applyRoleCatalogue(_tx, _rules, roles({"auditor"}), {});
        CPPUNIT_ASSERT(change.roles.empty());
        CPPUNIT_ASSERT(change.recomputed);
        CPPUNIT_ASSERT_EQUAL(users, change.accountsRecomputed);
        CPPUNIT_ASSERT_EQUAL(users - tim::kRoleRecomputeBatch, change.granted);
        CPPUNIT_ASSERT_EQUAL(users, _tx.state.scimGrants.size());
        CPPUNIT_ASSERT(_tx.state.marks.empty());
    }

    void aRunRetriedReportsItsChangesOnce() {
        _tx.state.joinRoleGroup("u-1", "auditor");
        _tx.retriedRun = 1;  // the listing
        auto change = tim::applyRoleCatalogue(_tx, _rules, roles({"auditor", "Reviewer"}), {});
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), change.roles.size());
        _tx.retriedRun = _tx.runs + 3;  // listing, holders, then the one batch
        change = tim::applyRoleCatalogue(_tx, _rules, {}, roles({"auditor"}));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), change.revoked);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), change.accountsRecomputed);
    }

  private:
    FakeAccountTransactions _tx;
    tim::AccountService _rules{tim::AccountSettings{}};
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(RoleCatalogueTest, "RoleCatalogueTest");
