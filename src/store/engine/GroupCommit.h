// Group commit: the writes that wait at the same time share one transaction, committed once
// (one COMMIT, one WAL append or redo flush, for many requests). Each write runs in a savepoint
// of its own, so one that fails is rolled back alone and only its request hears of it; every
// request returns only after the transaction holding its write has committed. Writes run in
// the order they arrived. The thread of a waiting request that finds no batch running becomes
// the leader: it runs what is queued (up to the bound) on one session, then hands over.
//
// Measured with 16 clients (issue 35): on SQLite, whose writers take turns anyway, POST /Users
// went from 1,288/s to 2,524/s; on MariaDB, whose InnoDB already commits concurrent
// transactions' redo together, batches on one session lost to parallel transactions (965/s
// against 2,067/s), so there each write keeps its own (DatabaseConfig).
#pragma once

#include "Database.h"

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace store {

class GroupCommit {
  public:
    // One request's write, run inside an open transaction on `session`; returns false when
    // what it wrote is to be discarded. It may run more than once (Retry.h).
    using Write = std::function<bool(Poco::Data::Session& session)>;

    // `maxWrites` bounds a batch; 1 runs every write in a transaction of its own, at once (on
    // as many sessions as the pool has).
    GroupCommit(Database& database, std::size_t maxWrites);

    // Runs `write` committed, alone or with the writes waiting beside it; throws what the
    // write threw (nothing of it committed) or the database's failure. A write that starts
    // another (which would wait for itself) throws Poco::IllegalStateException.
    void run(const Write& write);

    // Writes waiting for a batch to take them (for tests).
    std::size_t queued() const;
    // Transactions that committed more than one write, and the writes in them (for the
    // metrics and tests).
    std::size_t batchedWrites() const;
    std::size_t batches() const;

  private:
    struct Pending {
        const Write* write;
        std::string requestId;  // the audit trail records the request's own id
        std::exception_ptr error;
        bool done = false;
        std::condition_variable wake;  // its batch committed, or it may lead the next one
    };

    enum class Outcome { Committed, Failed, RunAlone };

    // Runs the queue's first writes as the leader (the lock released meanwhile) and marks them
    // done.
    void lead(std::unique_lock<std::mutex>& lock);
    // Whether the batch committed as one transaction; otherwise each write ran alone or has
    // the batch's failure.
    bool runBatch(const std::vector<Pending*>& batch) noexcept;
    Outcome runTogether(const std::vector<Pending*>& batch) noexcept;
    // Runs one write in a savepoint of the open transaction; false when the engine may have
    // rolled back more than the write (the batch then runs alone).
    bool runInSavepoint(Poco::Data::Session& session, Pending& pending);
    bool deservesAnotherRun(const std::exception_ptr& failure) const noexcept;
    void runAlone(Pending& pending) noexcept;

    Database& _database;
    const std::size_t _maxWrites;
    mutable std::mutex _mutex;
    std::deque<Pending*> _queue;
    bool _leading = false;
    std::vector<Pending*> _batch;  // the leader's
    std::size_t _batchedWrites = 0;
    std::size_t _batches = 0;
};

}  // namespace store
