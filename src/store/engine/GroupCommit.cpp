#include "GroupCommit.h"

#include "PreparedStatements.h"
#include "Retry.h"
#include "WriteTransaction.h"

#include "port/RequestContext.h"

namespace store {
namespace {

// Set while this thread runs writes: a write that started another would wait for itself.
thread_local bool runningWrites = false;

struct RunningWrites {
    RunningWrites() { runningWrites = true; }
    ~RunningWrites() { runningWrites = false; }
};

}  // namespace

GroupCommit::GroupCommit(Database& database, std::size_t maxWrites)
    : _database(database), _maxWrites(maxWrites < 1 ? 1 : maxWrites) {
    _batch.reserve(_maxWrites);  // taking a batch never allocates: it cannot fail half-way
}

void GroupCommit::run(const Write& write) {
    if (runningWrites) {
        throw Poco::IllegalStateException("a write transaction was started inside another");
    }
    Pending own{&write, port::currentRequestId(), nullptr, false, {}};
    if (_maxWrites == 1) {
        const RunningWrites running;
        runAlone(own);  // side by side with the other writes, as many as the pool has sessions
    } else {
        std::unique_lock<std::mutex> lock(_mutex);
        _queue.push_back(&own);
        while (!own.done) {
            if (_leading) {
                own.wake.wait(lock);  // woken only when done or first in the queue: no herd
            } else {
                lead(lock);
            }
        }
    }
    if (own.error) {
        std::rethrow_exception(own.error);
    }
}

void GroupCommit::lead(std::unique_lock<std::mutex>& lock) {
    _leading = true;
    _batch.clear();
    while (!_queue.empty() && _batch.size() < _maxWrites) {
        _batch.push_back(_queue.front());
        _queue.pop_front();
    }
    lock.unlock();
    const bool together = runBatch(_batch);
    lock.lock();
    if (together) {
        _batchedWrites += _batch.size();
        ++_batches;
    }
    _leading = false;
    for (Pending* pending : _batch) {
        pending->done = true;
        pending->wake.notify_one();
    }
    if (!_queue.empty()) {
        _queue.front()->wake.notify_one();  // the next leader
    }
}

bool GroupCommit::runBatch(const std::vector<Pending*>& batch) noexcept {
    const RunningWrites running;
    if (batch.size() > 1) {
        switch (runTogether(batch)) {
            case Outcome::Committed:
                return true;
            case Outcome::Failed:
                return false;
            case Outcome::RunAlone:
                break;
        }
    }
    // Alone, in the order they came: nothing of the batch committed.
    for (Pending* pending : batch) {
        pending->error = nullptr;
        runAlone(*pending);
    }
    return false;
}

GroupCommit::Outcome GroupCommit::runTogether(const std::vector<Pending*>& batch) noexcept {
    bool committing = false;
    try {
        const SqlDialect& dialect = _database.dialect();
        Poco::Data::Session session = _database.session();
        WriteTransaction transaction(session, dialect);
        for (Pending* pending : batch) {
            if (!runInSavepoint(session, *pending)) {
                return Outcome::RunAlone;  // the engine may have rolled back more than it
            }
        }
        committing = true;
        transaction.commit();
        return Outcome::Committed;
    } catch (...) {
        // Before the commit nothing is lost by running each write again alone: each then
        // meets what it meets itself. A commit that failed may have happened: only one the
        // engine gave up for a lock conflict or a silent abort (Retry.h) runs again.
        const std::exception_ptr failure = std::current_exception();
        if (!committing || deservesAnotherRun(failure)) {
            return Outcome::RunAlone;
        }
        for (Pending* pending : batch) {
            pending->error = failure;
        }
        return Outcome::Failed;
    }
}

bool GroupCommit::runInSavepoint(Poco::Data::Session& session, Pending& pending) {
    const port::RequestScope scope(pending.requestId);
    runPrepared(session, "SAVEPOINT tim_write", {});
    bool keep = false;
    try {
        keep = (*pending.write)(session);
    } catch (...) {
        if (deservesAnotherRun(std::current_exception())) {
            return false;
        }
        pending.error = std::current_exception();
    }
    if (!keep || pending.error) {
        runPrepared(session, "ROLLBACK TO SAVEPOINT tim_write", {});
    }
    runPrepared(session, "RELEASE SAVEPOINT tim_write", {});
    return true;
}

bool GroupCommit::deservesAnotherRun(const std::exception_ptr& failure) const noexcept {
    try {
        std::rethrow_exception(failure);
    } catch (const Poco::Exception& e) {
        try {
            return store::deservesAnotherRun(_database.dialect(), e);
        } catch (...) {
            return false;  // reading the failure failed (memory): it stands as it is
        }
    } catch (...) {
        return false;
    }
}

void GroupCommit::runAlone(Pending& pending) noexcept {
    try {
        const port::RequestScope scope(pending.requestId);
        const SqlDialect& dialect = _database.dialect();
        Poco::Data::Session session = _database.session();
        withRetry(dialect, [&] {
            WriteTransaction transaction(session, dialect);
            if ((*pending.write)(session)) {
                transaction.commit();
            }
        });
    } catch (...) {
        pending.error = std::current_exception();
    }
}

std::size_t GroupCommit::queued() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _queue.size();
}

std::size_t GroupCommit::batchedWrites() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _batchedWrites;
}

std::size_t GroupCommit::batches() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _batches;
}

}  // namespace store
