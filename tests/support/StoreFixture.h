// A migrated database on the suite's engine and the repositories over it, fresh for every test.
// Contracts derive from it and TIM_ENGINE_SUITES supplies freshConfig per engine.
#pragma once

#include "api/RequestLimits.h"
#include "scim/Patch.h"
#include "scim/UserSchemas.h"
#include "store/accounts/GroupRepository.h"
#include "store/accounts/SqlAccountTransactions.h"
#include "store/accounts/UserRepository.h"
#include "store/engine/Database.h"
#include "tim/AccountService.h"
#include "tim/GroupService.h"
#include "tim/RoleCatalogue.h"
#include "tim/UserService.h"

#include <Poco/JSON/Parser.h>
#include <Poco/Logger.h>

#include <cppunit/TestFixture.h>

#include <memory>
#include <optional>
#include <string>

namespace testing {

// The user store as the plugin builds it: TIM's use cases over the store's transactions and
// reads, all on one database.
struct UserParts {
    explicit UserParts(store::Database& database) : transactions(database), reads(database) {}
    store::SqlAccountTransactions transactions;
    store::UserRepository reads;
};
class StoredUsers : private UserParts, public tim::UserService {
  public:
    StoredUsers(store::Database& database, const tim::AccountService& rules)
        : UserParts(database), tim::UserService(transactions, reads, rules) {}

    // The transactions the users' writes run in (GroupCommitTest queues behind them).
    store::SqlAccountTransactions& accountTransactions() { return transactions; }
};

class StoreFixture : public CppUnit::TestFixture {
  public:
    virtual store::DatabaseConfig freshConfig() = 0;
    // What a suite changes in every engine's configuration (a pool of one, a batch bound).
    virtual void configure(store::DatabaseConfig&) {}

    void setUp() override {
        _config = freshConfig();
        configure(_config);
        _database = std::make_unique<store::Database>(_config, logger());
        _database->migrate();
        _users = usersOver(*_database);
        _transactions = std::make_unique<store::SqlAccountTransactions>(*_database);
        _groupReads = std::make_unique<store::GroupRepository>(*_database);
        _groups = groupsUnder(accountRules());
    }

    void tearDown() override {
        _groups.reset();
        _groupReads.reset();
        _transactions.reset();
        _users.reset();
        _database.reset();
    }

  protected:
    static Poco::Logger& logger() { return Poco::Logger::get("test.store"); }

    // TIM's rules as the plugin has them by default (no default password configured).
    static const tim::AccountService& accountRules() {
        static const tim::AccountService rules{tim::AccountSettings{}};
        return rules;
    }

    // The user store as the plugin builds it.
    static std::unique_ptr<StoredUsers> usersOver(store::Database& database) {
        return std::make_unique<StoredUsers>(database, accountRules());
    }

    // The groups as the plugin builds them, under `rules`.
    std::unique_ptr<tim::GroupService> groupsUnder(const tim::AccountService& rules) {
        return std::make_unique<tim::GroupService>(*_transactions, *_groupReads, rules);
    }

    // The configured roles applied to the catalogue, as the plugin does at start.
    tim::RoleCatalogueChange syncRoleCatalogue(const std::vector<std::string>& known,
                                               const std::vector<std::string>& internal) {
        return tim::applyRoleCatalogue(*_transactions, accountRules(), known, internal);
    }

    // A PatchOp's Operations (a JSON array) applied to user `id` the way the endpoint does.
    port::UserRecord patchUser(const std::string& id, const std::string& operations,
                               std::optional<Poco::Int64> expectedVersion = std::nullopt) {
        const auto ops = scim::parsePatchRequest(Poco::JSON::Parser()
                                                     .parse(R"({"Operations":)" + operations + "}")
                                                     .extract<Poco::JSON::Object::Ptr>(),
                                                 api::RequestLimits().patchOperations);
        return _users->patch(
            id,
            [&](const port::UserRecord& current) {
                return scim::applyPatch(current.doc, ops, scim::userResourceSchema());
            },
            expectedVersion);
    }

    store::DatabaseConfig _config;
    std::unique_ptr<store::Database> _database;
    std::unique_ptr<StoredUsers> _users;
    std::unique_ptr<store::SqlAccountTransactions> _transactions;
    std::unique_ptr<store::GroupRepository> _groupReads;
    std::unique_ptr<tim::GroupService> _groups;
};

}  // namespace testing
