#include "StoreFailures.h"

#include "Retry.h"
#include "SqlDialect.h"

#include "port/StoreErrors.h"

#include <Poco/Data/SessionPool.h>

namespace store {
namespace {

// How the same request may fare in a few seconds after failing with `e`: Busy (the pool had no
// session free, a lock was held too long, a write lost every attempt), Unavailable (the database
// connection is lost or refused), or None (not a passing failure).
enum class TransientFailure { None, Busy, Unavailable };

TransientFailure transientFailureOf(const Poco::Exception& e) {
    // A read, too, can lose to a lock or (on a Galera node) wait too long for the cluster.
    if (dynamic_cast<const Poco::Data::SessionPoolExhaustedException*>(&e) != nullptr ||
        dynamic_cast<const WriteContention*>(&e) != nullptr || isLockConflict(e)) {
        return TransientFailure::Busy;
    }
    return isConnectionLoss(e) ? TransientFailure::Unavailable : TransientFailure::None;
}

}  // namespace

void rethrowAsStoreError() {
    try {
        throw;
    } catch (const Poco::Exception& e) {
        switch (transientFailureOf(e)) {
            case TransientFailure::Busy:
                throw port::Unavailable(port::Unavailable::Cause::Busy, e.displayText());
            case TransientFailure::Unavailable:
                throw port::Unavailable(port::Unavailable::Cause::Down, e.displayText());
            case TransientFailure::None:
                break;
        }
        throw;
    }
}

}  // namespace store
