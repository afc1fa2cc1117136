#pragma once

#include "Database.h"
#include "IdentityStore.h"

namespace store {

class SqlIdentityStore : public IdentityStore {
  public:
    explicit SqlIdentityStore(Database& database) : _database(database) {}

    bool createSystemIdentityIfMissing(const std::string& name) override;

  private:
    Database& _database;
};

}  // namespace store
