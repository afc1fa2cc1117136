// What the plugin counts for Prometheus: SCIM requests (by endpoint, method and status, with
// their latency as a histogram), refusals by reason, the database pool, and the purge. Rendered in
// Prometheus' text format (0.0.4) at <basePath>/metrics.
#pragma once

#include "port/Maintenance.h"

#include <Poco/Timestamp.h>

#include <array>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>

namespace api {

class Metrics {
  public:
    // `endpoint` is a resource name the service knows ("Users", "metrics") or "other"; never
    // an id, so the number of series stays bounded.
    void recordRequest(const std::string& endpoint, const std::string& method, int status,
                       double seconds);
    void recordPurge(const port::PurgeResult& result, const Poco::Timestamp& when);
    // A request its credential did not admit: `reason` is one of a fixed set of labels
    // ("expired", "scope"), never anything a client chose.
    void recordRefusal(const std::string& reason);
    // A client's password was hashed (PBKDF2: the costliest thing a request can ask for).
    void recordPasswordHash();

    // `shared`: nullopt when the database could not be asked (those gauges are left out).
    std::string render(const port::DatabaseUsage& database,
                       const std::optional<port::SharedFacts>& shared = std::nullopt) const;

  private:
    static constexpr std::array<double, 13> kBuckets{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                     0.25,  0.5,    1,     2.5,  5,     10};
    struct Histogram {
        std::array<std::uint64_t, kBuckets.size()> buckets{};  // each counts its own range
        std::uint64_t count = 0;
        double sum = 0;
    };
    using Series = std::tuple<std::string, std::string, int>;  // endpoint, method, status

    mutable std::mutex _mutex;
    std::map<Series, Histogram> _requests;
    std::map<std::string, std::uint64_t> _refusals;  // reason -> count
    std::uint64_t _passwordHashes = 0;
    std::uint64_t _purgeRuns = 0;
    std::uint64_t _purgedUsers = 0;
    double _lastPurgeSeconds = 0;
};

}  // namespace api
