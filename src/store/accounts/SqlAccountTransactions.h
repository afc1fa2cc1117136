// port::AccountTransactions on the database: each run on one pooled session, in a write
// transaction, again from the start (up to Retry.h's attempts) when the database asks for it
// or, on MariaDB, another writer inserted a row it inserts.
#pragma once

#include "port/AccountTransactions.h"
#include "store/engine/Database.h"

namespace store {

class SqlAccountTransactions final : public port::AccountTransactions {
  public:
    explicit SqlAccountTransactions(Database& database) : _database(database) {}

    void run(const std::function<void(port::AccountTransaction&)>& work) override;

  private:
    Database& _database;
};

}  // namespace store
