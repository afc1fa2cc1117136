#include "Metrics.h"

#include <Poco/NumberFormatter.h>

#include <algorithm>

namespace api {
namespace {

std::string number(double value) {
    return Poco::NumberFormatter::format(value);
}

void family(std::string& out, const char* name, const char* type, const char* help) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

}  // namespace

void Metrics::recordRequest(const std::string& endpoint, const std::string& method, int status,
                            double seconds) {
    const auto bucket = static_cast<std::size_t>(
        std::lower_bound(kBuckets.begin(), kBuckets.end(), seconds) - kBuckets.begin());
    std::lock_guard<std::mutex> lock(_mutex);
    Histogram& histogram = _requests[Series{endpoint, method, status}];
    if (bucket < kBuckets.size()) {
        ++histogram.buckets[bucket];
    }
    ++histogram.count;
    histogram.sum += seconds;
}

void Metrics::recordPurge(const port::PurgeResult& result, const Poco::Timestamp& when) {
    if (!result.ran) {
        return;  // another instance held the lock
    }
    std::lock_guard<std::mutex> lock(_mutex);
    ++_purgeRuns;
    _purgedUsers += result.users;
    _lastPurgeSeconds = static_cast<double>(when.epochMicroseconds()) / 1e6;
}

void Metrics::recordRefusal(const std::string& reason) {
    std::lock_guard<std::mutex> lock(_mutex);
    ++_refusals[reason];
}

void Metrics::recordPasswordHash() {
    std::lock_guard<std::mutex> lock(_mutex);
    ++_passwordHashes;
}

std::string Metrics::render(const port::DatabaseUsage& database,
                            const std::optional<port::SharedFacts>& shared) const {
    std::string out;
    std::lock_guard<std::mutex> lock(_mutex);
    family(out, "tim_scim_request_duration_seconds", "histogram",
           "SCIM requests by endpoint, method and status, and how long they took");
    for (const auto& entry : _requests) {
        const auto& [endpoint, method, status] = entry.first;
        const std::string labels = "endpoint=\"" + endpoint + "\",method=\"" + method +
                                   "\",status=\"" + std::to_string(status) + "\"";
        std::uint64_t cumulative = 0;
        for (std::size_t i = 0; i < kBuckets.size(); ++i) {
            cumulative += entry.second.buckets[i];
            out += "tim_scim_request_duration_seconds_bucket{" + labels + ",le=\"" +
                   number(kBuckets[i]) + "\"} " + std::to_string(cumulative) + "\n";
        }
        out += "tim_scim_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} " +
               std::to_string(entry.second.count) + "\n";
        out += "tim_scim_request_duration_seconds_sum{" + labels + "} " + number(entry.second.sum) +
               "\n";
        out += "tim_scim_request_duration_seconds_count{" + labels + "} " +
               std::to_string(entry.second.count) + "\n";
    }
    family(out, "tim_scim_refusals_total", "counter",
           "Requests their credential did not admit: 401 by reason, 403 \"scope\"");
    for (const auto& [reason, count] : _refusals) {
        out += "tim_scim_refusals_total{reason=\"" + reason + "\"} " + std::to_string(count) + "\n";
    }
    family(out, "tim_scim_db_pool_sessions", "gauge",
           "Database sessions of this instance's pool, in use or idle");
    out +=
        "tim_scim_db_pool_sessions{state=\"in_use\"} " + std::to_string(database.pool.inUse) + "\n";
    out += "tim_scim_db_pool_sessions{state=\"idle\"} " + std::to_string(database.pool.idle) + "\n";
    family(out, "tim_scim_db_pool_capacity", "gauge",
           "Most sessions the pool opens (scim.db.pool.max); past it requests get 503");
    out += "tim_scim_db_pool_capacity " + std::to_string(database.pool.capacity) + "\n";
    family(out, "tim_scim_db_group_commits_total", "counter",
           "Transactions that committed several write requests at once (group commit)");
    out += "tim_scim_db_group_commits_total " + std::to_string(database.groupCommits) + "\n";
    family(out, "tim_scim_db_group_commit_writes_total", "counter",
           "Write requests run in those transactions");
    out += "tim_scim_db_group_commit_writes_total " + std::to_string(database.groupedWrites) + "\n";
    family(out, "tim_scim_password_hashes_total", "counter",
           "Client passwords this instance hashed (PBKDF2, about 0.5 s of CPU each)");
    out += "tim_scim_password_hashes_total " + std::to_string(_passwordHashes) + "\n";
    family(out, "tim_scim_purge_runs_total", "counter", "Purge runs this instance performed");
    out += "tim_scim_purge_runs_total " + std::to_string(_purgeRuns) + "\n";
    family(out, "tim_scim_purge_users_total", "counter", "Users this instance's purges deleted");
    out += "tim_scim_purge_users_total " + std::to_string(_purgedUsers) + "\n";
    family(out, "tim_scim_purge_last_run_timestamp_seconds", "gauge",
           "When this instance last ran the purge (Unix time; 0: not yet)");
    out += "tim_scim_purge_last_run_timestamp_seconds " + number(_lastPurgeSeconds) + "\n";
    if (shared) {
        const auto seconds = [](const std::optional<Poco::Int64>& ms) {
            return ms ? number(static_cast<double>(*ms) / 1000) : std::string("0");
        };
        family(out, "tim_scim_purge_last_completed_timestamp_seconds", "gauge",
               "When any instance on this database last completed the purge (Unix time; 0: "
               "never)");
        out += "tim_scim_purge_last_completed_timestamp_seconds " + seconds(shared->lastPurgeMs) +
               "\n";
        family(out, "tim_scim_token_expiry_timestamp_seconds", "gauge",
               "When each bearer token not revoked expires (Unix time), by jti, label and scope: "
               "an alert per labelled provisioning token");
        for (const auto& token : shared->liveTokens) {
            // Labels are [A-Za-z0-9._-] (auth::isValidTokenLabel): nothing to escape.
            out += "tim_scim_token_expiry_timestamp_seconds{jti=\"" + token.jti + "\",label=\"" +
                   token.label + "\",scope=\"" + token.scope + "\"} " + seconds(token.expiresMs) +
                   "\n";
        }
    }
    return out;
}

}  // namespace api
