// Runs a whole write transaction again after a deadlock or lock timeout, a row that vanished or
// an insert race lost, a bounded number of times with a short random pause: the engine chose it
// as the victim, not the client.
#pragma once

#include "SqlDialect.h"

#include <Poco/Exception.h>
#include <Poco/Random.h>
#include <Poco/Thread.h>

#include <string>

namespace store {

inline constexpr int kTransactionAttempts = 4;

// A write that lost to other transactions on every attempt: the database is busy, the request
// may succeed later.
POCO_DECLARE_EXCEPTION(, WriteContention, Poco::Exception)

// A row this transaction wrote is not there when it reads it back: the database aborted the
// transaction without telling (GaleraNode.h). Run it again, like a deadlock.
POCO_DECLARE_EXCEPTION(, RowVanished, Poco::Exception)

// A row this transaction inserts was inserted first by another that committed meanwhile (on
// MySQL, or on a cluster through another node): run it again, and it reads that row.
POCO_DECLARE_EXCEPTION(, InsertRaceLost, Poco::Exception)

// Whether a transaction that failed with `e` may succeed if run again from the start.
inline bool deservesAnotherRun(const SqlDialect& dialect, const Poco::Exception& e) {
    return dialect.isRetryable(e) || dynamic_cast<const RowVanished*>(&e) != nullptr ||
           dynamic_cast<const InsertRaceLost*>(&e) != nullptr;
}

template <typename Fn>
auto withRetry(const SqlDialect& dialect, Fn&& fn) -> decltype(fn()) {
    for (int attempt = 1;; ++attempt) {
        try {
            return fn();
        } catch (const Poco::Exception& e) {
            if (!deservesAnotherRun(dialect, e)) {
                throw;
            }
            if (attempt >= kTransactionAttempts) {
                throw WriteContention("gave up after " + std::to_string(attempt) +
                                      " attempts: " + e.displayText());
            }
        }
        Poco::Random jitter;
        jitter.seed();
        Poco::Thread::sleep(static_cast<long>(5 * attempt + jitter.next(10)));
    }
}

}  // namespace store
