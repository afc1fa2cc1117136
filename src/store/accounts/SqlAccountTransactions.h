// port::AccountTransactions on the database: each run in a write transaction, shared with the
// runs waiting at the same time (GroupCommit.h), again from the start (up to Retry.h's attempts)
// when the database asks for it or, on MariaDB, another writer inserted a row it inserts.
#pragma once

#include "port/AccountTransactions.h"
#include "store/engine/Database.h"
#include "store/engine/GroupCommit.h"

namespace store {

class SqlAccountTransactions final : public port::AccountTransactions {
  public:
    explicit SqlAccountTransactions(Database& database)
        : _database(database), _commits(database, database.groupCommitMaxWrites()) {}

    void run(const std::function<void(port::AccountTransaction&)>& work) override;

    const GroupCommit& commits() const { return _commits; }

  private:
    Database& _database;
    GroupCommit _commits;
};

}  // namespace store
