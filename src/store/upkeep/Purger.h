// The purge (guide FAQ 2): users deleted, or disabled, longer ago than the retention are
// deleted for good with their memberships and role assignments, in small transactions so
// SCIM traffic is not blocked, by one instance at a time.
#pragma once

#include "store/engine/Database.h"

#include <Poco/Logger.h>
#include <Poco/Timestamp.h>

#include <functional>
#include <optional>
#include <string>

namespace store {

// A retention: given now, the time before which rows have expired (TIM's calendar rule:
// tim::Duration::expiry).
using Retention = std::function<Poco::Timestamp(const Poco::Timestamp& now)>;

struct PurgePolicy {
    Retention deletedRetention;                  // 30d by default
    std::optional<Retention> disabledRetention;  // nullopt: disabled users are kept
    std::optional<Retention> auditRetention;     // nullopt: audit rows are kept
    std::size_t batchSize = 500;
};

class Purger {
  public:
    Purger(Database& database, PurgePolicy policy) : _database(database), _policy(policy) {}

    // Purges what expired before `now` minus the retentions; records when it ran.
    port::PurgeResult run(const Poco::Timestamp& now);

    // When a purge last completed on any instance, if ever.
    std::optional<Poco::Timestamp> lastRun();

  private:
    // Deletes up to a batch of expired users in one transaction; batches is 1 if it found any.
    port::PurgeResult purgeUserBatch(Poco::Data::Session& session, Poco::Int64 deletedBefore,
                                     Poco::Int64 disabledBefore);
    // Deletes audit rows older than `beforeMs`; returns how many.
    std::size_t purgeAudit(Poco::Data::Session& session, Poco::Int64 beforeMs);

    Database& _database;
    const PurgePolicy _policy;
};

}  // namespace store
