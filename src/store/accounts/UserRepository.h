// Reads of the SCIM users in tim_user: by id, lists and the manager names a page shows. Their
// writes are src/tim's use cases (tim/UserService.h) over port::AccountTransaction;
// uniqueness of userName is the database's unique index on the folded key.
#pragma once

#include "port/UserStore.h"
#include "store/engine/Database.h"
#include "store/query/FilterSql.h"
#include "store/query/QueryRunner.h"
#include "store/query/UserFilterSql.h"

#include "scim/Representation.h"
#include "scim/ResourceSchema.h"

#include <Poco/JSON/Object.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace store {

class UserRepository final : public port::UserReads {
  public:
    explicit UserRepository(Database& database) : _database(database) {}

    std::optional<port::UserRecord> find(const std::string& id) override;
    port::UserPage query(const port::UserQuery& query, const port::RenderUser& render) override;
    std::map<std::string, std::string> displayNamesOf(const std::vector<std::string>& ids) override;

  private:
    Database& _database;
};

}  // namespace store
