// Threads waiting for something scarce that gives no signal when it comes back (Poco's session
// pool), served in the order they came: only the first in line tries, in short pauses; the
// others sleep until the one before them is served or gives up. So under a sustained burst the
// oldest is not the one left to wait out its limit while newer ones are served.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <list>
#include <mutex>

namespace store {

class WaitLine {
  public:
    // Runs `attempt`, which returns false while nothing is free: at once when nobody waits,
    // otherwise at this thread's turn, again after short pauses (once more at `deadline` if
    // the turn never came). false when `deadline` came first. What `attempt` throws leaves
    // the line and goes to the caller.
    bool inTurn(const std::function<bool()>& attempt,
                std::chrono::steady_clock::time_point deadline);

    // Threads in the line (for tests).
    std::size_t waiting() const;

  private:
    struct Waiter {
        std::condition_variable turn;
    };

    bool waitForTurn(Waiter& me, std::chrono::steady_clock::time_point deadline);
    void leave(Waiter& me);

    mutable std::mutex _mutex;
    std::list<Waiter*> _line;  // front: the one that tries
};

}  // namespace store
