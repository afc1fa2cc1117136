// A clock that stands still until the test moves it.
#pragma once

#include "auth/Clock.h"

namespace testing {

class FixedClock : public auth::Clock {
  public:
    explicit FixedClock(Poco::Timestamp now) : _now(now) {}
    Poco::Timestamp now() const override { return _now; }
    void advanceSeconds(long seconds) {
        _now += static_cast<Poco::Timestamp::TimeDiff>(seconds) * Poco::Timespan::SECONDS;
    }

  private:
    Poco::Timestamp _now;
};

}  // namespace testing
