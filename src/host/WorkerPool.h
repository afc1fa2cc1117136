// The threads that run handlers: a fixed number, with a bounded queue of requests waiting for
// one. A request that finds the queue full is refused at once (503) instead of waiting
// unboundedly: the event loops never block on a handler.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace timhost {

class WorkerPool {
  public:
    WorkerPool(int threads, std::size_t maxQueued);
    ~WorkerPool();

    // False when `maxQueued` jobs already wait (or the pool stopped): the job is not run.
    bool tryPost(std::function<void()> job);

    // Runs what is queued, then joins the threads.
    void stop();

  private:
    void run();

    const std::size_t _maxQueued;
    std::mutex _mutex;
    std::condition_variable _ready;
    std::deque<std::function<void()>> _jobs;
    bool _stopping = false;
    std::vector<std::thread> _threads;
};

}  // namespace timhost
