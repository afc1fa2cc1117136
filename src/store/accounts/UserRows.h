// A user's rows (tim_user, its roles and its manager's name) on a session: what the user reads
// and the account transaction's user writes share.
#pragma once

#include "Snapshots.h"
#include "port/AccountTransaction.h"
#include "port/UserStore.h"
#include "store/engine/SqlDialect.h"
#include "store/engine/SqlSupport.h"

#include <Poco/Data/Session.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace store {

// The columns of a whole user record, from tim_user as "u".
inline constexpr const char* kUserRecordColumns =
    "u.id, u.doc, u.version, u.created_ms, u.modified_ms";

enum class Reach { Any, InReachOnly };

// A user's roles as records carry them: sorted, a role held from several sources once.
void sortDistinct(std::vector<std::string>& roles);

// The users matching `where` with their roles in one statement (reads of one user: no LIMIT).
// InReachOnly leaves out unmanaged holders of a protected role.
std::vector<port::UserRecord> readUsersWithRoles(Poco::Data::Session& session,
                                                 const std::string& where,
                                                 std::vector<SqlParam> params, Reach reach);

// The user `id` with its roles and its manager's name: in SCIM's reach only, or any.
std::vector<port::UserRecord> readUser(Poco::Data::Session& session, const std::string& id,
                                       Reach reach);

// Sets the manager (its displayName, or unknown) of each of `users` whose document names one,
// in one look-up for all of them.
void readManagers(Poco::Data::Session& session, std::vector<port::UserRecord>& users);

// The displayNames of the users in SCIM's reach among `ids` ("" for one without).
std::map<std::string, std::string> displayNames(Poco::Data::Session& session,
                                                const std::vector<std::string>& ids);

// The writes of port::AccountTransaction's user section, in the caller's transaction.
class UserRows {
  public:
    UserRows(Poco::Data::Session& session, const SqlDialect& dialect)
        : _session(session), _dialect(dialect) {}

    // With them, in the same statement, the snapshots a create with the same externalId would
    // take (snapshotsRead).
    std::vector<port::AccountCandidate> candidates(const port::UserColumns& columns);
    // The snapshots the last candidates() read for `externalId`; nullptr when it read none for
    // it.
    const std::vector<SnapshotRow>* snapshotsRead(const std::string& externalId) const;
    void lockCandidate(const port::AccountCandidate& candidate);
    void erase(const std::string& id, const Poco::Nullable<std::string>& externalId,
               const std::string& why);
    Poco::Int64 insert(const std::string& id, const port::UserRow& row,
                       const port::PasswordChange& password, bool byScim);
    bool update(const std::string& id, const port::UserRow& row, const port::UserWrite& write);
    std::optional<port::LockedUser> lock(const std::string& id);
    port::CredentialStanding credentialStanding(const std::string& id);
    void refuseTakenUserName(const port::UserColumns& columns, const std::string& id);
    port::UserRecord read(const std::string& id);
    void readManager(port::UserRecord& record);
    Poco::Nullable<std::string> markDeleted(const std::string& id);
    void grantTimRole(const std::string& userId, const std::string& roleKey);

  private:
    Poco::Data::Session& _session;
    const SqlDialect& _dialect;
    std::optional<std::string> _snapshotsReadFor;  // the externalId snapshotsRead answers for
    std::vector<SnapshotRow> _snapshotsRead;
};

}  // namespace store
