#include "WaitLine.h"

#include <algorithm>
#include <thread>

namespace store {

bool WaitLine::inTurn(const std::function<bool()>& attempt,
                      std::chrono::steady_clock::time_point deadline) {
    {
        std::unique_lock<std::mutex> lock(_mutex);
        if (_line.empty()) {
            lock.unlock();
            if (attempt()) {
                return true;
            }
            if (std::chrono::steady_clock::now() >= deadline) {
                return false;  // tried once, as a limit of 0 asks
            }
        }
    }
    Waiter me;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _line.push_back(&me);
    }
    struct Leave {
        WaitLine& line;
        Waiter& me;
        ~Leave() { line.leave(me); }
    } leaving{*this, me};
    if (!waitForTurn(me, deadline)) {
        // Every waiter ahead has an earlier limit or the same (one poolWaitMs for all): they
        // are served or leaving. One try, so that no request gives up without asking (a limit
        // of 0 included).
        return attempt();
    }
    // A thing given back is seen within 5 ms; one thread polls, not all of them.
    constexpr auto kLongestPause = std::chrono::milliseconds(5);
    for (auto pause = std::chrono::milliseconds(1);; pause = std::min(pause * 2, kLongestPause)) {
        if (attempt()) {
            return true;
        }
        const auto left = deadline - std::chrono::steady_clock::now();
        if (left <= left.zero()) {
            return false;
        }
        std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(pause, left));
    }
}

bool WaitLine::waitForTurn(Waiter& me, std::chrono::steady_clock::time_point deadline) {
    std::unique_lock<std::mutex> lock(_mutex);
    return me.turn.wait_until(lock, deadline, [&] { return _line.front() == &me; });
}

void WaitLine::leave(Waiter& me) {
    std::lock_guard<std::mutex> lock(_mutex);
    const bool wasFirst = _line.front() == &me;
    _line.remove(&me);
    if (wasFirst && !_line.empty()) {
        _line.front()->turn.notify_one();
    }
}

std::size_t WaitLine::waiting() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _line.size();
}

}  // namespace store
