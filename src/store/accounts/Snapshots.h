// Deletions on TIM's side (its UI; here the scim.user.delete and scim.group.delete commands,
// the latter a use case of tim/GroupService.h) keep a snapshot of memberships for the
// retention. When Entra re-creates the user or group
// (same externalId, userName or displayName), they are restored in the same transaction as
// the create, with the roles their role groups grant; roles TIM granted otherwise are never
// restored. A SCIM DELETE is the client's own intent: no snapshot. Both deletions are audited.
#pragma once

#include "port/AccountTransaction.h"
#include "store/engine/Database.h"

#include <Poco/Nullable.h>

#include <optional>
#include <string>
#include <vector>

namespace store {

// A kept snapshot's key and age, as read before it is taken (its data is read only then: a
// TEXT column in a UNION with the candidates' VARCHARs would make the result MEDIUMTEXT, for
// which Poco's MySQL connector zeroes a 64 MB buffer at each execution).
struct SnapshotRow {
    std::string id;
    Poco::Int64 createdMs = 0;
};

class Snapshots {
  public:
    explicit Snapshots(Database& database) : _database(database) {}

    // Deletes the user for good, snapshotting its memberships; false when there is no such
    // person.
    bool deleteUserInTim(const std::string& id);

    // Inside an open transaction, for take: every snapshot of `created`'s externalId (set), of
    // any age. A user's create usually has them already, read with its candidates
    // (UserRows::snapshotsRead), a round trip less.
    static std::vector<SnapshotRow> read(Poco::Data::Session& session,
                                         const port::CreatedAccount& created);

    // Inside an open transaction: the newest of `snapshots` (those of `created`'s externalId,
    // read in the same transaction) taken at or after `notBeforeMs`, consumed: a user's groups
    // or a group's members. nullopt when there is none, or when another create took it
    // meanwhile.
    static std::optional<std::vector<std::string>> take(Poco::Data::Session& session,
                                                        const port::CreatedAccount& created,
                                                        Poco::Int64 notBeforeMs,
                                                        const std::vector<SnapshotRow>& snapshots);

    // Inside an open transaction: keeps what a deletion in TIM took from `deleted` (a user's
    // groups, a group's members) for take.
    static void save(Poco::Data::Session& session, const port::CreatedAccount& deleted,
                     const std::vector<std::string>& ids);

    // Forgets snapshots older than `beforeMs` (the purge).
    std::size_t purge(Poco::Int64 beforeMs);

  private:
    Database& _database;
};

}  // namespace store
