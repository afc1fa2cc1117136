// Refusals of unauthenticated requests are logged at most once per interval per client
// address: a client without a token cannot flood the log (journald would then drop real lines),
// and the next line logged for an address says how many of its refusals were left out. The
// metrics count every refusal; this only keeps the log readable.
#pragma once

#include <Poco/Logger.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace api {

class RefusalLog {
  public:
    using Clock = std::function<std::chrono::steady_clock::time_point()>;

    // At most `maxClients` addresses are tracked; past that, addresses not yet tracked share
    // one window until a sweep (once an interval) forgets the quiet ones.
    explicit RefusalLog(Poco::Logger& logger,
                        std::chrono::milliseconds interval = std::chrono::seconds(1),
                        std::size_t maxClients = 4096,
                        Clock clock = std::chrono::steady_clock::now);

    // Logs `line` as a warning unless `client` had a line within the interval. Safe from every
    // request thread.
    void note(const std::string& client, const std::string& line);

  private:
    using TimePoint = std::chrono::steady_clock::time_point;
    struct Window {
        std::optional<TimePoint> loggedAt;  // none yet
        unsigned long left = 0;             // refusals not logged since loggedAt
    };
    Window& windowOf(const std::string& client, TimePoint now);

    Poco::Logger& _logger;
    const std::chrono::milliseconds _interval;
    const std::size_t _maxClients;
    const Clock _clock;
    std::mutex _mutex;
    std::unordered_map<std::string, Window> _windows;
    Window _untracked;                  // addresses that found the map full
    std::optional<TimePoint> _sweptAt;  // the last sweep of quiet addresses
    unsigned long _forgottenLeft = 0;   // left out by addresses a sweep forgot, not yet told
};

}  // namespace api
