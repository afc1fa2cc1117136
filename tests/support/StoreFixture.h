// A migrated database on the suite's engine and the repositories over it, fresh for every test.
// Contracts derive from it and TIM_ENGINE_SUITES supplies freshConfig per engine.
#pragma once

#include "store/Database.h"
#include "store/GroupRepository.h"
#include "store/UserRepository.h"

#include <Poco/Logger.h>

#include <cppunit/TestFixture.h>

#include <memory>

namespace testing {

class StoreFixture : public CppUnit::TestFixture {
  public:
    virtual store::DatabaseConfig freshConfig() = 0;

    void setUp() override {
        _config = freshConfig();
        _database = std::make_unique<store::Database>(_config, logger());
        _database->migrate();
        _users = std::make_unique<store::UserRepository>(*_database);
        _groups = std::make_unique<store::GroupRepository>(*_database);
    }

    void tearDown() override {
        _groups.reset();
        _users.reset();
        _database.reset();
    }

  protected:
    static Poco::Logger& logger() { return Poco::Logger::get("test.store"); }

    store::DatabaseConfig _config;
    std::unique_ptr<store::Database> _database;
    std::unique_ptr<store::UserRepository> _users;
    std::unique_ptr<store::GroupRepository> _groups;
};

}  // namespace testing
