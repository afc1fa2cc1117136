// SCIM users in tim_user: every write is one transaction with a version check; uniqueness of
// userName is the database's unique index on the folded key.
#pragma once

#include "Database.h"
#include "FilterSql.h"
#include "QueryRunner.h"
#include "UserFilterSql.h"
#include "port/AccountRules.h"
#include "port/UserStore.h"

#include "scim/Representation.h"
#include "scim/ResourceSchema.h"

#include <Poco/JSON/Object.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace store {

class WriteTransaction;
struct UserColumns;

class UserRepository final : public port::UserStore {
  public:
    // `rules`: binding, passwords, and the restore after a deletion in TIM.
    UserRepository(Database& database, const port::AccountRules& rules)
        : _database(database), _rules(rules) {}

    port::CreateResult createOrBind(const Poco::JSON::Object::Ptr& doc,
                                    const std::optional<std::string>& clientHash) override;
    std::string createLocal(const std::string& userName, const std::string& email,
                            const std::vector<std::string>& roles) override;
    std::optional<port::UserRecord> find(const std::string& id) override;
    port::UserRecord replace(const std::string& id, const Poco::JSON::Object::Ptr& doc,
                             const std::optional<std::string>& clientHash,
                             std::optional<Poco::Int64> expectedVersion) override;
    port::UserRecord patch(const std::string& id, const port::ChangeUser& change,
                           std::optional<Poco::Int64> expectedVersion) override;
    bool remove(const std::string& id, std::optional<Poco::Int64> expectedVersion) override;
    port::UserPage query(const port::UserQuery& query, const port::RenderUser& render) override;
    std::map<std::string, std::string> displayNamesOf(const std::vector<std::string>& ids) override;

  private:
    // The id of the user in SCIM's reach holding the folded userName `key`, or "".
    std::string userNameHolder(const std::string& key);

    Database& _database;
    const port::AccountRules& _rules;
};

// Documents larger than this are refused (413): the column is a TEXT.
inline constexpr std::size_t kMaxUserDocumentBytes = 60000;

}  // namespace store
