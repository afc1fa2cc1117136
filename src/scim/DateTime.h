// The one text form of instants: xsd:dateTime in UTC (RFC 7643 §2.3.5), e.g.
// "2026-11-28T22:29:00Z", used in resources, logs and command output alike.
#pragma once

#include <Poco/Timestamp.h>

#include <string>

namespace scim {

std::string formatDateTime(const Poco::Timestamp& instant);

}  // namespace scim
