// Where "now" comes from, so tests can control time.
#pragma once

#include <Poco/Timestamp.h>

namespace auth {

class Clock {
  public:
    virtual ~Clock() = default;
    virtual Poco::Timestamp now() const = 0;
};

class SystemClock : public Clock {
  public:
    Poco::Timestamp now() const override { return Poco::Timestamp(); }
};

}  // namespace auth
