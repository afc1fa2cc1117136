#pragma once

#include "Database.h"
#include "TokenStore.h"

namespace store {

class SqlTokenStore : public TokenStore {
  public:
    explicit SqlTokenStore(Database& database) : _database(database) {}

    void record(const IssuedToken& token) override;
    std::optional<TokenStanding> standing(const std::string& jti) override;
    std::vector<IssuedToken> list() override;
    bool revoke(const std::string& jti, const Poco::Timestamp& at) override;
    std::string signingKey(const std::string& generated) override;

  private:
    Database& _database;
};

}  // namespace store
