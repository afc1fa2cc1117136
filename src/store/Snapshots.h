// Deletions on TIM's side (its UI; here the scim.user.delete / scim.group.delete commands)
// keep a snapshot of memberships for the retention. When Entra re-creates the user or group
// (same externalId, userName or displayName), they are restored in the same transaction as
// the create, with the roles their role groups grant; roles TIM granted otherwise are never
// restored. A SCIM DELETE is the client's own intent: no snapshot. Both deletions are audited.
#pragma once

#include "Database.h"
#include "port/AccountRules.h"

#include <Poco/Nullable.h>

#include <optional>
#include <string>
#include <vector>

namespace store {

class Snapshots {
  public:
    Snapshots(Database& database, const port::AccountRules& rules)
        : _database(database), _rules(rules) {}

    // Deletes the user for good, snapshotting its memberships; false when there is no such
    // person.
    bool deleteUserInTim(const std::string& id);

    // Deletes the group for good, snapshotting its members; false when there is none.
    bool deleteGroupInTim(const std::string& id);

    // Inside an open transaction: the newest snapshot of an account like `created` (same
    // externalId or folded name) taken at or after `notBeforeMs`, consumed: a user's groups or
    // a group's members. nullopt when there is none.
    static std::optional<std::vector<std::string>> take(Poco::Data::Session& session,
                                                        const port::CreatedAccount& created,
                                                        Poco::Int64 notBeforeMs);

    // Forgets snapshots older than `beforeMs` (the purge).
    std::size_t purge(Poco::Int64 beforeMs);

  private:
    Database& _database;
    const port::AccountRules& _rules;
};

}  // namespace store
