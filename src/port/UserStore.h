// The users SCIM provisions, as the api sees them: the store's reads (UserReads) and TIM's
// use cases on them (UserStore, tim/UserService.h), each write's change one transaction (a
// password's checks before its hash may take one more).
#pragma once

#include "port/AccountMatch.h"
#include "port/Credentials.h"
#include "port/ResourceQuery.h"
#include "scim/Representation.h"

#include <Poco/JSON/Object.h>
#include <Poco/Types.h>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace port {

// A user's manager as the store read it with the user.
struct ManagerRef {
    bool known = false;       // false: the id is no user in SCIM's reach (kept as sent)
    std::string displayName;  // "" when it has none
};

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
    // What the credential rule reads (set on reads by id and every write; lists leave it).
    CredentialStanding credential;
    // Set when the record is one user read by id (find and every write), in the same
    // transaction, and the user has a manager; a list leaves it unset and asks displayNamesOf
    // once for its page.
    std::optional<ManagerRef> manager;
};

enum class CreateOutcome { Created, Bound, Revived };

struct CreateResult {
    UserRecord record;
    CreateOutcome outcome = CreateOutcome::Created;
    MatchedBy via = MatchedBy::UserName;  // how a bound account was found
    bool passwordSet = false;
    std::string restored;  // what the restore after a TIM deletion did, for the log
    // The deleted user that held the userName and was erased for this new one ("" if none).
    std::string erasedId;
};

using UserQuery = ResourceQuery;
using UserPage = Page<UserRecord>;

// Renders a record as the client would see it, for filters no column answers.
using RenderUser = std::function<Poco::JSON::Object::Ptr(const UserRecord&)>;

// Maps the stored user (its document, and what the server keeps beside it: id, version,
// times) to the new normalised document, or throws (nothing is written then).
using ChangeUser = std::function<scim::NormalisedResource(const UserRecord&)>;

// What the api reads of users, as the store keeps them.
class UserReads {
  public:
    virtual ~UserReads() = default;

    virtual std::optional<UserRecord> find(const std::string& id) = 0;

    virtual UserPage query(const UserQuery& query, const RenderUser& render) = 0;

    // The displayNames of the visible users among `ids` (for manager references), in a number
    // of statements that does not grow with a page: a user without one maps to "", an id that
    // is no visible user is left out.
    virtual std::map<std::string, std::string> displayNamesOf(
        const std::vector<std::string>& ids) = 0;
};

class UserStore : public UserReads {
  public:
    // Creates the user, binds the request to an account TIM already has, or revives the user
    // SCIM deleted, as the rules decide (guide FAQ 4). `password`: the one the client sent, if
    // any, hashed only once every check passed and only where the rules let SCIM set it.
    // Throws Conflict, ProtectedAccount and Forbidden (both audited).
    virtual CreateResult createOrBind(const Poco::JSON::Object::Ptr& doc,
                                      const std::optional<std::string>& password) = 0;

    // Creates an account as TIM's own UI does: unmanaged, with TIM-granted `roles` (which the
    // role catalogue must know), the password a new account gets by the rules. Returns its
    // id. Throws Poco::InvalidArgumentException for an unknown role, Conflict for a userName
    // in use.
    virtual std::string createLocal(const std::string& userName, const std::string& email,
                                    const std::vector<std::string>& roles) = 0;

    // Replaces the document (PUT). `password`: as for createOrBind. `expectedVersion`: the
    // If-Match version, if any. Throws NotFound, Conflict, VersionMismatch, Forbidden.
    virtual UserRecord replace(const std::string& id, const Poco::JSON::Object::Ptr& doc,
                               const std::optional<std::string>& password,
                               std::optional<Poco::Int64> expectedVersion) = 0;

    // One unit of work: applies `change` to the stored document and writes the result only if
    // the version it read is still the stored one (and the If-Match, if any), with the audit
    // row, in one transaction; a write that lost to another runs `change` again on a fresh
    // read. No lock is held while `change` and a password hash run; a password the rules do
    // not let SCIM set is refused before it is hashed. Nothing is written when the document
    // does not change (version and lastModified stay). Throws NotFound, Conflict (Contention
    // after repeated losses), VersionMismatch, Forbidden, or what `change` throws.
    virtual UserRecord patch(const std::string& id, const ChangeUser& change,
                             std::optional<Poco::Int64> expectedVersion) = 0;

    // PUT and PATCH to an unmanaged account bind it: it becomes managed, keeps its password
    // (a write that carries one is Forbidden) and the audit calls the write a bind.

    // Hides the user from SCIM (it answers 404 from now on); false when there is none.
    virtual bool remove(const std::string& id, std::optional<Poco::Int64> expectedVersion) = 0;
};

}  // namespace port
