#pragma once

#include "port/TokenStore.h"
#include "store/engine/Database.h"

namespace store {

class SqlTokenStore : public port::TokenStore {
  public:
    explicit SqlTokenStore(Database& database) : _database(database) {}

    void record(const port::IssuedToken& token) override;
    std::optional<port::TokenStanding> standing(const std::string& jti) override;
    std::vector<port::IssuedToken> list() override;
    bool revoke(const std::string& jti, const Poco::Timestamp& at, const std::string& by) override;
    void recordUse(const std::string& jti, const Poco::Timestamp& minute) override;
    bool relabel(const std::string& jti, const std::string& label, const std::string& by) override;
    std::string signingKey(const std::string& generated) override;
    std::size_t replaceSigningKey(const std::string& replacement, const Poco::Timestamp& at,
                                  const std::string& by) override;

  private:
    Database& _database;
};

}  // namespace store
