// Deletions on TIM's side (its UI; here the scim.user.delete / scim.group.delete commands)
// keep a snapshot of memberships for the retention. When Entra re-creates the user or group
// (same externalId, userName or displayName), they are restored in the same transaction as
// the create, with the roles their role groups grant; roles TIM granted otherwise are never
// restored. A SCIM DELETE is the client's own intent: no snapshot. Both deletions are audited.
#pragma once

#include "Database.h"

#include <Poco/Nullable.h>

#include <string>

namespace store {

class Snapshots {
  public:
    explicit Snapshots(Database& database) : _database(database) {}

    // Deletes the user for good, snapshotting its memberships; false when there is no such
    // person.
    bool deleteUserInTim(const std::string& id);

    // Deletes the group for good, snapshotting its members; false when there is none.
    bool deleteGroupInTim(const std::string& id);

    // Inside the transaction that created user `userId`: restores the newest snapshot of a
    // user with this externalId or folded userName taken at or after `notBeforeMs`, and
    // returns what it restored ("" when there was none).
    static std::string restoreUser(Poco::Data::Session& session, const SqlDialect& dialect,
                                   const std::string& userId,
                                   const Poco::Nullable<std::string>& externalId,
                                   const std::string& userNameKey, Poco::Int64 notBeforeMs);

    // The same for a group created as `groupId`.
    static std::string restoreGroup(Poco::Data::Session& session, const SqlDialect& dialect,
                                    const std::string& groupId,
                                    const Poco::Nullable<std::string>& externalId,
                                    const std::string& displayNameKey, Poco::Int64 notBeforeMs);

    // Forgets snapshots older than `beforeMs` (the purge).
    std::size_t purge(Poco::Int64 beforeMs);

  private:
    Database& _database;
};

}  // namespace store
