// TIM's user use cases (tim/UserService.h) on a transaction in memory: what a create binds,
// revives or recycles, the refusals that are audited though nothing else is written, the
// password checked before it is hashed, a write that binds TIM's own account, and a PATCH that
// lost a race computed again on a fresh read.
#include "support/FakeAccountTransactions.h"
#include "tim/UserService.h"

#include "port/StoreErrors.h"

#include <Poco/JSON/Parser.h>

#include <cppunit/extensions/HelperMacros.h>

#include <stdexcept>

using testing::FakeAccounts;
using testing::FakeAccountTransaction;
using testing::FakeAccountTransactions;

namespace {

Poco::JSON::Object::Ptr userDoc(const std::string& json) {
    return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
}

// A user in SCIM's reach, read from the fake's state as the store reads it.
class FakeUserReads final : public port::UserReads {
  public:
    explicit FakeUserReads(FakeAccounts& state) : _state(state) {}

    std::optional<port::UserRecord> find(const std::string& id) override {
        FakeAccountTransaction tx(_state);
        if (!tx.lockUser(id)) {
            return std::nullopt;
        }
        return tx.readUser(id);
    }
    port::UserPage query(const port::UserQuery&, const port::RenderUser&) override {
        throw std::logic_error("the use cases list nothing");
    }
    std::map<std::string, std::string> displayNamesOf(const std::vector<std::string>&) override {
        throw std::logic_error("the use cases list nothing");
    }

  private:
    FakeAccounts& _state;
};

// A change that sets the displayName.
port::ChangeUser displayNamed(const std::string& name) {
    return [name](const port::UserRecord& current) {
        Poco::JSON::Object::Ptr next = new Poco::JSON::Object(*current.doc);
        next->set("displayName", name);
        return scim::NormalisedResource{next, std::nullopt};
    };
}

// The same change carrying a password.
port::ChangeUser withNewPassword(const std::string& password) {
    return [password](const port::UserRecord& current) {
        return scim::NormalisedResource{new Poco::JSON::Object(*current.doc), password};
    };
}

}  // namespace

class UserServiceTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(UserServiceTest);
    CPPUNIT_TEST(aCreateReachingAProtectedAccountIsRefusedAndTheRefusalKept);
    CPPUNIT_TEST(aPasswordForAnAccountTimCreatedIsRefusedBeforeItIsHashed);
    CPPUNIT_TEST(aWriteToAnAccountTimCreatedBindsIt);
    CPPUNIT_TEST(aDeletedUserComesBackOnlyWithItsExternalId);
    CPPUNIT_TEST(aPatchThatLostARaceIsComputedAgainOnAFreshRead);
    CPPUNIT_TEST(aPasswordIsHashedOnceThoughItsPatchRunsAgain);
    CPPUNIT_TEST(aCreateRunTwiceReportsAndAuditsItOnce);
    CPPUNIT_TEST_SUITE_END();

  public:
    void setUp() override {
        _transactions.state = FakeAccounts{};
        _hashes = 0;
    }

    void aCreateReachingAProtectedAccountIsRefusedAndTheRefusalKept() {
        FakeAccounts& state = _transactions.state;
        state.timAccount("t-admin", "admin", true);
        CPPUNIT_ASSERT_THROW(_users.createOrBind(userDoc(R"({"userName":"Admin"})"), "Secret-1"),
                             port::ProtectedAccount);
        CPPUNIT_ASSERT_EQUAL(0, _hashes);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), state.audit.size());
        CPPUNIT_ASSERT_EQUAL(std::string("refuse"), state.audit.back().operation);
        CPPUNIT_ASSERT_EQUAL(std::string("protected"), state.audit.back().outcome);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), state.userRows.size());
        CPPUNIT_ASSERT(!state.userRows.at("t-admin").managed);

        // Without a password the create reaches the write itself: refused there, the same way.
        CPPUNIT_ASSERT_THROW(_users.createOrBind(userDoc(R"({"userName":"admin"})"), std::nullopt),
                             port::ProtectedAccount);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), state.audit.size());
        CPPUNIT_ASSERT_EQUAL(std::string("protected"), state.audit.back().outcome);
        CPPUNIT_ASSERT(!state.userRows.at("t-admin").managed);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), state.userRows.at("t-admin").version);
    }

    void aPasswordForAnAccountTimCreatedIsRefusedBeforeItIsHashed() {
        FakeAccounts& state = _transactions.state;
        state.timAccount("t-1", "jane", false);
        CPPUNIT_ASSERT_THROW(_users.createOrBind(userDoc(R"({"userName":"JANE"})"), "Secret-1"),
                             port::Forbidden);
        CPPUNIT_ASSERT_EQUAL(0, _hashes);
        CPPUNIT_ASSERT_EQUAL(std::string("tim-created"), state.audit.back().outcome);
        CPPUNIT_ASSERT(!state.userRows.at("t-1").managed);

        const auto bound = _users.createOrBind(userDoc(R"({"userName":"JANE"})"), std::nullopt);
        CPPUNIT_ASSERT(bound.outcome == port::CreateOutcome::Bound);
        CPPUNIT_ASSERT_EQUAL(std::string("t-1"), bound.record.id);
        CPPUNIT_ASSERT_EQUAL(std::string("by-username"), state.audit.back().outcome);
        CPPUNIT_ASSERT(state.userRows.at("t-1").managed);
        CPPUNIT_ASSERT(state.userRows.at("t-1").password.keep);

        // Bound, the account is still not SCIM's to give a password: each refusal is audited,
        // nothing else written.
        const auto version = state.userRows.at("t-1").version;
        const auto audited = state.audit.size();
        CPPUNIT_ASSERT_THROW(_users.patch("t-1", withNewPassword("Secret-2"), std::nullopt),
                             port::Forbidden);
        CPPUNIT_ASSERT_THROW(
            _users.replace("t-1", userDoc(R"({"userName":"jane"})"), "Secret-2", std::nullopt),
            port::Forbidden);
        CPPUNIT_ASSERT_EQUAL(0, _hashes);
        CPPUNIT_ASSERT_EQUAL(audited + 2, state.audit.size());
        CPPUNIT_ASSERT_EQUAL(std::string("tim-created"), state.audit.back().outcome);
        CPPUNIT_ASSERT_EQUAL(version, state.userRows.at("t-1").version);
        CPPUNIT_ASSERT(state.userRows.at("t-1").password.keep);
    }

    void aWriteToAnAccountTimCreatedBindsIt() {
        FakeAccounts& state = _transactions.state;
        state.timAccount("t-1", "jane", false);
        const auto written = _users.patch("t-1", displayNamed("Jane Doe"), std::nullopt);
        CPPUNIT_ASSERT_EQUAL(std::string("Jane Doe"),
                             written.doc->getValue<std::string>("displayName"));
        CPPUNIT_ASSERT_EQUAL(std::string("bind"), state.audit.back().operation);
        CPPUNIT_ASSERT((state.audit.back().changed == std::vector<std::string>{"displayName"}));
        CPPUNIT_ASSERT(state.userRows.at("t-1").managed);

        _users.patch("t-1", displayNamed("Jane D."), std::nullopt);
        CPPUNIT_ASSERT_EQUAL(std::string("patch"), state.audit.back().operation);
        const auto audited = state.audit.size();
        _users.patch("t-1", displayNamed("Jane D."), std::nullopt);  // nothing changes
        CPPUNIT_ASSERT_EQUAL(audited, state.audit.size());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), state.userRows.at("t-1").version);
    }

    void aDeletedUserComesBackOnlyWithItsExternalId() {
        FakeAccounts& state = _transactions.state;
        const auto doc = userDoc(R"({"userName":"bo","externalId":"e-1"})");
        const std::string id = _users.createOrBind(doc, "Secret-1").record.id;
        CPPUNIT_ASSERT_EQUAL(1, _hashes);
        CPPUNIT_ASSERT(_users.remove(id, std::nullopt));
        CPPUNIT_ASSERT(!_users.remove(id, std::nullopt));
        CPPUNIT_ASSERT_THROW(_users.patch(id, displayNamed("Bo"), std::nullopt), port::NotFound);

        const auto revived = _users.createOrBind(doc, std::nullopt);
        CPPUNIT_ASSERT(revived.outcome == port::CreateOutcome::Revived);
        CPPUNIT_ASSERT_EQUAL(id, revived.record.id);
        CPPUNIT_ASSERT_EQUAL(std::string("revive"), state.audit.back().operation);

        CPPUNIT_ASSERT(_users.remove(id, std::nullopt));
        const auto other =
            _users.createOrBind(userDoc(R"({"userName":"BO","externalId":"e-2"})"), std::nullopt);
        CPPUNIT_ASSERT(other.outcome == port::CreateOutcome::Created);
        CPPUNIT_ASSERT(other.record.id != id);
        CPPUNIT_ASSERT_EQUAL(id, other.erasedId);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), state.userRows.count(id));
        const auto purged = std::find_if(state.audit.begin(), state.audit.end(),
                                         [](const auto& e) { return e.operation == "purge"; });
        CPPUNIT_ASSERT(purged != state.audit.end());
        CPPUNIT_ASSERT_EQUAL(std::string("username-reused"), purged->outcome);
    }

    void aPatchThatLostARaceIsComputedAgainOnAFreshRead() {
        FakeAccounts& state = _transactions.state;
        const std::string id =
            _users.createOrBind(userDoc(R"({"userName":"al"})"), std::nullopt).record.id;
        int computed = 0;
        const auto written = _users.patch(
            id,
            [&](const port::UserRecord& current) {
                if (++computed == 1) {
                    ++state.userRows.at(id).version;  // another write lands meanwhile
                }
                return displayNamed("Al")(current);
            },
            std::nullopt);
        CPPUNIT_ASSERT_EQUAL(2, computed);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), written.version);
        CPPUNIT_ASSERT_THROW(_users.patch(id, displayNamed("Al B"), 2), port::VersionMismatch);
        CPPUNIT_ASSERT_EQUAL(std::string("Al"),
                             state.userRows.at(id).row.doc->getValue<std::string>("displayName"));
    }

    void aPasswordIsHashedOnceThoughItsPatchRunsAgain() {
        FakeAccounts& state = _transactions.state;
        const std::string id =
            _users.createOrBind(userDoc(R"({"userName":"al"})"), std::nullopt).record.id;
        int computed = 0;
        _users.patch(
            id,
            [&](const port::UserRecord& current) {
                if (++computed == 1) {
                    ++state.userRows.at(id).version;  // another write lands meanwhile
                }
                return withNewPassword("Secret-3")(current);
            },
            std::nullopt);
        CPPUNIT_ASSERT_EQUAL(2, computed);
        CPPUNIT_ASSERT_EQUAL(1, _hashes);
        CPPUNIT_ASSERT(!state.userRows.at(id).password.keep);
        CPPUNIT_ASSERT(!state.userRows.at(id).password.hash.isNull());
        CPPUNIT_ASSERT((state.audit.back().changed == std::vector<std::string>{"password"}));
    }

    void aCreateRunTwiceReportsAndAuditsItOnce() {
        FakeAccounts& state = _transactions.state;
        _transactions.retriedRun = _transactions.runs + 1;  // lost to another write once
        const auto created =
            _users.createOrBind(userDoc(R"({"userName":"cy","externalId":"e-9"})"), std::nullopt);
        CPPUNIT_ASSERT(created.outcome == port::CreateOutcome::Created);
        CPPUNIT_ASSERT(created.erasedId.empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), state.userRows.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), state.audit.size());
        CPPUNIT_ASSERT_EQUAL(created.record.id, state.audit.front().resourceId);
    }

  private:
    tim::AccountService rulesCountingHashes() {
        tim::AccountSettings settings;
        settings.hashed = [this] { ++_hashes; };
        return tim::AccountService(settings);
    }

    int _hashes = 0;
    FakeAccountTransactions _transactions;
    FakeUserReads _reads{_transactions.state};
    tim::AccountService _rules = rulesCountingHashes();
    tim::UserService _users{_transactions, _reads, _rules};
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(UserServiceTest, "UserServiceTest");
