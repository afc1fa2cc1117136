#include "StoreFailures.h"

#include "Retry.h"
#include "SqlDialect.h"

#include "port/StoreErrors.h"

#include <Poco/Data/SessionPool.h>

namespace store {

TransientFailure transientFailureOf(const Poco::Exception& e) {
    // A read, too, can lose to a lock or (on a Galera node) wait too long for the cluster.
    if (dynamic_cast<const Poco::Data::SessionPoolExhaustedException*>(&e) != nullptr ||
        dynamic_cast<const WriteContention*>(&e) != nullptr || isLockConflict(e)) {
        return TransientFailure::Busy;
    }
    return isConnectionLoss(e) ? TransientFailure::Unavailable : TransientFailure::None;
}

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
