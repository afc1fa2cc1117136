// A warning that a hostile client can repeat (a refused connection, a cut deadline) is written
// at most once a second; the next one written says how many were left out.
#pragma once

#include <Poco/Logger.h>

#include <chrono>
#include <functional>
#include <mutex>
#include <string>

namespace timhost {

class LineThrottle {
  public:
    using Clock = std::function<std::chrono::steady_clock::time_point()>;

    explicit LineThrottle(Poco::Logger& logger, Clock clock = std::chrono::steady_clock::now)
        : _logger(logger), _clock(std::move(clock)) {}

    void warning(const std::string& line) {
        std::string text;
        {
            std::lock_guard<std::mutex> lock(_mutex);
            const auto now = _clock();
            if (_written && now - _last < std::chrono::seconds(1)) {
                ++_left;
                return;
            }
            text = _left == 0 ? line
                              : line + " (" + std::to_string(_left) + " more like it not logged)";
            _written = true;
            _last = now;
            _left = 0;
        }
        _logger.warning(text);
    }

  private:
    Poco::Logger& _logger;
    const Clock _clock;
    std::mutex _mutex;
    bool _written = false;
    std::chrono::steady_clock::time_point _last;
    unsigned long _left = 0;
};

}  // namespace timhost
