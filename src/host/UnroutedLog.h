// A request no plugin serves is logged, at most a few lines per interval: an operator with a
// wrong Tenant URL or a missing plugin sees why the 404s (also among a scanner's), and a
// scanner cannot flood the log.
#pragma once

#include <Poco/Clock.h>
#include <Poco/Timespan.h>

#include <mutex>
#include <string>
#include <utility>

namespace timhost {

class UnroutedLog {
  public:
    explicit UnroutedLog(std::string servedPaths, Poco::Timespan interval = Poco::Timespan(10, 0))
        : _servedPaths(std::move(servedPaths)), _interval(interval) {}

    // Safe from every connection thread.
    void note(const std::string& method, const std::string& path, const std::string& client);

  private:
    const std::string _servedPaths;
    const Poco::Timespan _interval;
    std::mutex _mutex;
    static constexpr unsigned kLinesPerInterval = 5;
    Poco::Clock _windowStart;  // monotonic: a clock set back does not silence it
    unsigned _lines = 0;       // logged in the current window
    unsigned long _unlogged = 0;
};

}  // namespace timhost
