#include "GroupCommit.h"

#include "PreparedStatements.h"
#include "Retry.h"
#include "WriteTransaction.h"

#include "port/RequestContext.h"

namespace store {

GroupCommit::GroupCommit(Database& database, std::size_t maxWrites)
    : _database(database), _maxWrites(maxWrites < 1 ? 1 : maxWrites) {}

void GroupCommit::run(const Write& write) {
    Pending own{&write, port::currentRequestId(), nullptr, false, {}};
    if (_maxWrites == 1) {
        runAlone(own);  // side by side with the other writes, as many as the pool has sessions
        if (own.error) {
            std::rethrow_exception(own.error);
        }
        return;
    }
    std::unique_lock<std::mutex> lock(_mutex);
    _queue.push_back(&own);
    while (!own.done) {
        if (_leading) {
            own.wake.wait(lock);  // woken only when done or first in the queue: no herd
            continue;
        }
        _leading = true;
        std::vector<Pending*> batch;
        while (!_queue.empty() && batch.size() < _maxWrites) {
            batch.push_back(_queue.front());
            _queue.pop_front();
        }
        lock.unlock();
        runBatch(batch);
        lock.lock();
        if (batch.size() > 1) {
            _batchedWrites += batch.size();
            ++_batches;
        }
        _leading = false;
        for (Pending* pending : batch) {
            pending->done = true;
            pending->wake.notify_one();
        }
        if (!_queue.empty()) {
            _queue.front()->wake.notify_one();  // the next leader
        }
    }
    lock.unlock();
    if (own.error) {
        std::rethrow_exception(own.error);
    }
}

void GroupCommit::runBatch(const std::vector<Pending*>& batch) {
    if (batch.size() > 1) {
        try {
            if (runTogether(batch)) {
                return;
            }
        } catch (const Poco::Exception& e) {
            if (!deservesAnotherRun(_database.dialect(), e)) {
                for (Pending* pending : batch) {
                    pending->error = std::current_exception();
                }
                return;
            }
        } catch (...) {
            for (Pending* pending : batch) {
                pending->error = std::current_exception();
            }
            return;
        }
    }
    // Alone, in the order they came: what the batch wrote was rolled back with it.
    for (Pending* pending : batch) {
        pending->error = nullptr;
        runAlone(*pending);
    }
}

bool GroupCommit::runTogether(const std::vector<Pending*>& batch) {
    const SqlDialect& dialect = _database.dialect();
    Poco::Data::Session session = _database.session();
    WriteTransaction transaction(session, dialect);
    for (Pending* pending : batch) {
        const port::RequestScope scope(pending->requestId);
        runPrepared(session, "SAVEPOINT tim_write", {});
        bool keep = false;
        try {
            keep = (*pending->write)(session);
        } catch (const Poco::Exception& e) {
            if (deservesAnotherRun(dialect, e)) {
                return false;  // the engine may have rolled back more than this write
            }
            pending->error = std::current_exception();
        } catch (...) {
            pending->error = std::current_exception();
        }
        if (keep && !pending->error) {
            runPrepared(session, "RELEASE SAVEPOINT tim_write", {});
        } else {
            runPrepared(session, "ROLLBACK TO SAVEPOINT tim_write", {});
            runPrepared(session, "RELEASE SAVEPOINT tim_write", {});
        }
    }
    transaction.commit();
    return true;
}

void GroupCommit::runAlone(Pending& pending) {
    const port::RequestScope scope(pending.requestId);
    try {
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
