// Deadlines for what a client owes: a whole request head, a whole body. Poco's read timeout
// restarts with every byte, so a client sending one byte every few seconds could hold a worker
// for ever; the watchdog shuts such a connection's socket at its deadline (the blocked read
// then ends) and says why in the log.
#pragma once

#include <Poco/Logger.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace timhost {

class ConnectionWatchdog {
  public:
    using Clock = std::chrono::steady_clock;

    explicit ConnectionWatchdog(Poco::Logger& logger);
    ~ConnectionWatchdog();
    ConnectionWatchdog(const ConnectionWatchdog&) = delete;
    ConnectionWatchdog& operator=(const ConnectionWatchdog&) = delete;

    // What a missed deadline shuts: both directions (the client gets no answer), or only the
    // reading side (the blocked read ends and the connection can still answer).
    enum class Cut { Both, Reading };

    // Shuts `fd` down at `deadline` unless `owner` disarms it first; `reason` goes to the log.
    // An owner has one deadline at a time: arming again replaces it.
    void arm(const void* owner, int fd, Clock::time_point deadline, std::string reason,
             Cut cut = Cut::Both);
    void disarm(const void* owner);

  private:
    struct Deadline {
        int fd;
        Clock::time_point at;
        std::string reason;
        Cut cut;
    };

    void run();

    Poco::Logger& _logger;
    std::mutex _mutex;
    std::condition_variable _changed;
    std::map<const void*, Deadline> _deadlines;
    bool _stopping = false;
    Clock::time_point _wakeAt = Clock::time_point::max();  // when the thread wakes next
    std::thread _thread;
};

}  // namespace timhost
