// While the plugins start, the termination signals are held for waitForTerminationRequest. This
// watch takes one that arrives meanwhile: a start that finishes within 2 s then stops as usual,
// gracefully; one stuck longer (a database that does not answer, a long migration) ends the
// process, so that a stop never waits for a start. Nothing is served yet, and every write a
// plugin makes is atomic.
#pragma once

#include <atomic>
#include <thread>

namespace timhost {

class StartWatch {
  public:
    StartWatch();
    ~StartWatch();  // the start is over: later signals are waitForTerminationRequest's

    StartWatch(const StartWatch&) = delete;
    StartWatch& operator=(const StartWatch&) = delete;

  private:
    void watch();

    std::atomic<bool> _started{false};
    std::thread _thread;
};

}  // namespace timhost
