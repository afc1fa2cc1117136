#include "Retry.h"

#include <typeinfo>

namespace store {

POCO_IMPLEMENT_EXCEPTION(WriteContention, Poco::Exception, "Write contention")

}  // namespace store
