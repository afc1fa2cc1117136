// SCIM users in tim_user: every write is one transaction with a version check; uniqueness of
// userName is the database's unique index on the folded key.
#pragma once

#include "Database.h"
#include "FilterSql.h"
#include "QueryRunner.h"
#include "UserFilterSql.h"

#include "scim/Representation.h"
#include "scim/ResourceSchema.h"

#include <Poco/JSON/Object.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace store {

struct UserRecord {
    std::string id;
    Poco::JSON::Object::Ptr doc;  // the normalised document
    Poco::Int64 version = 1;
    Poco::Int64 createdMs = 0;
    Poco::Int64 modifiedMs = 0;
    // The effective static TIM roles (any source), sorted: the read-only tim:2.0 roles.
    std::vector<std::string> roles;
};

enum class CreateOutcome { Created, Bound };

struct CreateResult {
    UserRecord record;
    CreateOutcome outcome = CreateOutcome::Created;
    bool passwordSet = false;
    std::string restored;  // what the creation hook restored, for the log
};

using UserQuery = ResourceQuery;
using UserPage = Page<UserRecord>;

// Renders a record as the client would see it, for filters no column answers.
using RenderUser = std::function<Poco::JSON::Object::Ptr(const UserRecord&)>;

// Runs inside the transaction that created a user (id, externalId, folded userName); returns
// what it did, for the log.
using UserCreatedHook =
    std::function<std::string(Poco::Data::Session&, const SqlDialect&, const std::string&,
                              const Poco::Nullable<std::string>&, const std::string&)>;

class UserRepository {
  public:
    explicit UserRepository(Database& database, UserCreatedHook onCreated = {})
        : _database(database), _onCreated(std::move(onCreated)) {}

    // Creates the user, or binds the request to a user TIM already has (guide FAQ 4): one
    // with the same userName, or with the same email, and no externalId (a user deleted
    // through SCIM with the same userName is revived). `passwordHash` is stored on create,
    // and on bind only when the client sent a password. Throws ScimError 409 uniqueness.
    CreateResult createOrBind(const Poco::JSON::Object::Ptr& doc, const std::string& passwordHash,
                              bool clientPassword);

    std::optional<UserRecord> find(const std::string& id);

    // Replaces the document (PUT). `expectedVersion`: the If-Match version, if any (412 when
    // it differs). Throws ScimError 404, 409, 412.
    UserRecord replace(const std::string& id, const Poco::JSON::Object::Ptr& doc,
                       const std::optional<std::string>& passwordHash,
                       std::optional<Poco::Int64> expectedVersion);

    // Applies `change` to the stored document inside one transaction (read under a row lock,
    // If-Match checked, written only if the document changed, version bumped then). `change`
    // returns the new normalised document or throws, in which case nothing is written.
    // Throws ScimError 404, 409, 412.
    UserRecord patch(
        const std::string& id,
        const std::function<scim::NormalisedResource(const Poco::JSON::Object::Ptr&)>& change,
        std::optional<Poco::Int64> expectedVersion);

    // Hides the user from SCIM (it answers 404 from now on); false when there is none.
    bool remove(const std::string& id, std::optional<Poco::Int64> expectedVersion);

    UserPage query(const UserQuery& query, const RenderUser& render);

    // The displayName of visible user `id` (for a manager reference); nullopt when there is no
    // such user, "" when it has no displayName.
    std::optional<std::string> displayNameOf(const std::string& id);

  private:
    Database& _database;
    const UserCreatedHook _onCreated;
};

// Documents larger than this are refused (413): the column is a TEXT.
inline constexpr std::size_t kMaxUserDocumentBytes = 60000;

}  // namespace store
