#include "Retry.h"

#include <Poco/Data/SessionPool.h>

#include <typeinfo>

namespace store {

POCO_IMPLEMENT_EXCEPTION(WriteContention, Poco::Exception, "Write contention")
POCO_IMPLEMENT_EXCEPTION(RowVanished, Poco::Exception, "Row vanished")

TransientFailure transientFailureOf(const Poco::Exception& e) {
    // A read, too, can lose to a lock or (on a Galera node) wait too long for the cluster.
    if (dynamic_cast<const Poco::Data::SessionPoolExhaustedException*>(&e) != nullptr ||
        dynamic_cast<const WriteContention*>(&e) != nullptr || isLockConflict(e)) {
        return TransientFailure::Busy;
    }
    return isConnectionLoss(e) ? TransientFailure::Unavailable : TransientFailure::None;
}

}  // namespace store
