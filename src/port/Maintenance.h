// What the store reports about its upkeep, for the metrics and the admin commands: the session
// pool at one moment, and what one purge run did.
#pragma once

#include "StatusReader.h"

#include <Poco/Types.h>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace port {

// The session pool at one moment.
struct PoolUsage {
    int inUse = 0;
    int idle = 0;
    int capacity = 0;
};

// The database as this instance uses it: its pool now, and its group commits so far.
struct DatabaseUsage {
    PoolUsage pool;
    std::size_t groupCommits = 0;   // transactions that committed several write requests
    std::size_t groupedWrites = 0;  // the write requests run in them
};

// What every instance on the database sees alike, read at each scrape: when any instance last
// completed the purge (ms since the epoch; nullopt: never), and each token not revoked.
struct SharedFacts {
    std::optional<Poco::Int64> lastPurgeMs;
    std::vector<LiveToken> liveTokens;  // soonest to expire first, at most kMostTokenSeries
};

// Series of the token-expiry gauge at most: a scrape stays small whatever was issued.
constexpr std::size_t kMostTokenSeries = 100;

struct PurgeResult {
    bool ran = false;  // false: another instance held the purge lock
    std::size_t users = 0;
    std::size_t memberships = 0;
    std::size_t roleAssignments = 0;
    std::size_t batches = 0;
    std::size_t auditRows = 0;  // past the audit retention

    std::string summary() const;  // counts only, never personal data
};

}  // namespace port
