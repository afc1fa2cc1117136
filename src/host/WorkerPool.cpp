#include "WorkerPool.h"

namespace timhost {

WorkerPool::WorkerPool(int threads, std::size_t maxQueued) : _maxQueued(maxQueued) {
    for (int i = 0; i < threads; ++i) {
        _threads.emplace_back([this] { run(); });
    }
}

WorkerPool::~WorkerPool() {
    stop();
}

bool WorkerPool::tryPost(std::function<void()> job) {
    {
        std::lock_guard<std::mutex> lock(_mutex);
        if (_stopping || _jobs.size() >= _maxQueued) {
            return false;
        }
        _jobs.push_back(std::move(job));
    }
    _ready.notify_one();
    return true;
}

void WorkerPool::stop() {
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _stopping = true;
    }
    _ready.notify_all();
    for (auto& thread : _threads) {
        if (thread.joinable()) {
            thread.join();
        }
    }
}

void WorkerPool::run() {
    for (;;) {
        std::function<void()> job;
        {
            std::unique_lock<std::mutex> lock(_mutex);
            _ready.wait(lock, [this] { return _stopping || !_jobs.empty(); });
            if (_jobs.empty()) {
                return;  // stopping, nothing left
            }
            job = std::move(_jobs.front());
            _jobs.pop_front();
        }
        job();  // never throws: the router answers every failure
    }
}

}  // namespace timhost
