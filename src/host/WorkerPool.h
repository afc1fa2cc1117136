// The threads that run handlers: a fixed number, with a bounded queue of requests waiting for
// one. A request that finds the queue full is refused at once (503) instead of waiting
// unboundedly: the event loops never block on a handler. The worker that went idle last is
// woken first: its caches (and its malloc arena) are still warm.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
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
    struct Worker {
        std::condition_variable wake;
        std::thread thread;
    };
    void run(Worker& self);

    const std::size_t _maxQueued;
    std::mutex _mutex;
    std::deque<std::function<void()>> _jobs;
    std::vector<Worker*> _idle;  // the most recently idle last
    bool _stopping = false;
    std::vector<std::unique_ptr<Worker>> _workers;
};

}  // namespace timhost
