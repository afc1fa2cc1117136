#pragma once

#include "port/IdentityStore.h"
#include "store/engine/Database.h"

namespace store {

class SqlIdentityStore : public port::IdentityStore {
  public:
    explicit SqlIdentityStore(Database& database) : _database(database) {}

    bool createSystemIdentityIfMissing(const std::string& name) override;

  private:
    Database& _database;
};

}  // namespace store
