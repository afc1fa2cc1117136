#include "ConnectionWatchdog.h"

#include <sys/socket.h>

namespace timhost {

ConnectionWatchdog::ConnectionWatchdog(Poco::Logger& logger)
    : _logger(logger), _thread([this] { run(); }) {}

ConnectionWatchdog::~ConnectionWatchdog() {
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _stopping = true;
    }
    _changed.notify_all();
    _thread.join();
}

void ConnectionWatchdog::arm(const void* owner, int fd, Clock::time_point deadline,
                             std::string reason, Cut cut) {
    bool sooner = false;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _deadlines[owner] = Deadline{fd, deadline, std::move(reason), cut};
        sooner = deadline < _wakeAt;
        if (sooner) {
            _wakeAt = deadline;
        }
    }
    // Deadlines are mostly later than the one the thread sleeps for: no wake-up per request.
    if (sooner) {
        _changed.notify_all();
    }
}

void ConnectionWatchdog::disarm(const void* owner) {
    std::lock_guard<std::mutex> lock(_mutex);
    _deadlines.erase(owner);
}

void ConnectionWatchdog::run() {
    std::unique_lock<std::mutex> lock(_mutex);
    while (!_stopping) {
        const auto now = Clock::now();
        auto next = Clock::time_point::max();
        for (auto it = _deadlines.begin(); it != _deadlines.end();) {
            if (it->second.at <= now) {
                // The owner disarms before it closes its socket, under this mutex: the fd is
                // still its own here. Shutting the raw fd (not the TLS layer) is safe while
                // another thread reads it.
                ::shutdown(it->second.fd, it->second.cut == Cut::Both ? SHUT_RDWR : SHUT_RD);
                _logger.warning("closed a connection: " + it->second.reason);
                it = _deadlines.erase(it);
            } else {
                next = std::min(next, it->second.at);
                ++it;
            }
        }
        _wakeAt = next;
        if (next == Clock::time_point::max()) {
            _changed.wait(lock);
        } else {
            _changed.wait_until(lock, next);
        }
    }
}

}  // namespace timhost
