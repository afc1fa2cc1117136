// The counts of `scim.status`, one statement each on the indexed columns.
#pragma once

#include "store/engine/Database.h"

#include "port/StatusReader.h"

namespace store {

class SqlStatusReader final : public port::StatusReader {
  public:
    explicit SqlStatusReader(Database& database) : _database(database) {}

    port::ProvisioningCounts counts() override;
    std::vector<port::LiveToken> liveTokens(std::size_t most) override;

  private:
    Database& _database;
};

}  // namespace store
