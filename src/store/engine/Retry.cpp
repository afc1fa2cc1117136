#include "Retry.h"

namespace store {

POCO_IMPLEMENT_EXCEPTION(WriteContention, Poco::Exception, "Write contention")
POCO_IMPLEMENT_EXCEPTION(RowVanished, Poco::Exception, "Row vanished")
POCO_IMPLEMENT_EXCEPTION(InsertRaceLost, Poco::Exception, "Insert race lost")

}  // namespace store
