// SCIM users in tim_user: every write is one transaction with a version check; uniqueness of
// userName is the database's unique index on the folded key.
#pragma once

#include "AccountRules.h"
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
    // false: an account TIM created that SCIM never bound (known to reads by id; lists leave
    // it true).
    bool managed = true;
};

enum class CreateOutcome { Created, Bound, Revived };

struct CreateResult {
    UserRecord record;
    CreateOutcome outcome = CreateOutcome::Created;
    MatchedBy via = MatchedBy::UserName;  // how a bound account was found
    bool passwordSet = false;
    std::string restored;  // what the restore after a TIM deletion did, for the log
};

using UserQuery = ResourceQuery;
using UserPage = Page<UserRecord>;

// Renders a record as the client would see it, for filters no column answers.
using RenderUser = std::function<Poco::JSON::Object::Ptr(const UserRecord&)>;

class WriteTransaction;
struct UserColumns;

class UserRepository {
  public:
    // `rules`: binding, passwords, and the restore after a deletion in TIM.
    UserRepository(Database& database, const AccountRules& rules)
        : _database(database), _rules(rules) {}

    // Creates the user, binds the request to an account TIM already has, or revives the user
    // SCIM deleted, as the rules decide (guide FAQ 4). `clientHash`: the hash of the password
    // the client sent, if any; the rules say whether it is used. Throws ScimError 409
    // uniqueness, ProtectedAccount (audited).
    CreateResult createOrBind(const Poco::JSON::Object::Ptr& doc,
                              const std::optional<std::string>& clientHash);

    // Creates an account as TIM's own UI does: unmanaged, with TIM-granted `roles` (which the
    // role catalogue must know), the password a new account gets by the rules. Returns its
    // id. Throws Poco::InvalidArgumentException for an unknown role, ScimError 409 for a
    // userName in use.
    std::string createLocal(const std::string& userName, const std::string& email,
                            const std::vector<std::string>& roles);

    std::optional<UserRecord> find(const std::string& id);

    // Replaces the document (PUT). `expectedVersion`: the If-Match version, if any (412 when
    // it differs). Throws ScimError 404, 409, 412.
    UserRecord replace(const std::string& id, const Poco::JSON::Object::Ptr& doc,
                       const std::optional<std::string>& clientHash,
                       std::optional<Poco::Int64> expectedVersion);

    // Applies `change` to the stored document inside one transaction (read under a row lock,
    // If-Match checked, written only if the document changed, version bumped then). `change`
    // returns the new normalised document or throws, in which case nothing is written.
    // Throws ScimError 404, 409, 412.
    UserRecord patch(
        const std::string& id,
        const std::function<scim::NormalisedResource(const Poco::JSON::Object::Ptr&)>& change,
        std::optional<Poco::Int64> expectedVersion);

    // PUT and PATCH to an unmanaged account bind it: it becomes managed, keeps its password
    // (a password in that write is not applied) and the audit calls the write a bind.

    // Hides the user from SCIM (it answers 404 from now on); false when there is none.
    bool remove(const std::string& id, std::optional<Poco::Int64> expectedVersion);

    UserPage query(const UserQuery& query, const RenderUser& render);

    // The displayName of visible user `id` (for a manager reference); nullopt when there is no
    // such user, "" when it has no displayName.
    std::optional<std::string> displayNameOf(const std::string& id);

  private:
    // The id of the user in SCIM's reach holding the folded userName `key`, or "".
    std::string userNameHolder(const std::string& key);
    void refuse(Poco::Data::Session& session, WriteTransaction& tx, const BindDecision& decision,
                const UserColumns& columns);

    Database& _database;
    const AccountRules& _rules;
};

// Documents larger than this are refused (413): the column is a TEXT.
inline constexpr std::size_t kMaxUserDocumentBytes = 60000;

}  // namespace store
