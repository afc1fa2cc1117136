#include "DateTime.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>

namespace scim {

std::string formatDateTime(const Poco::Timestamp& instant) {
    return Poco::DateTimeFormatter::format(instant, Poco::DateTimeFormat::ISO8601_FORMAT);
}

}  // namespace scim
