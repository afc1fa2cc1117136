#include "WorkerPool.h"

namespace timhost {

WorkerPool::WorkerPool(int threads, std::size_t maxQueued) : _maxQueued(maxQueued) {
    for (int i = 0; i < threads; ++i) {
        _workers.push_back(std::make_unique<Worker>());
    }
    for (auto& worker : _workers) {
        Worker& self = *worker;
        worker->thread = std::thread([this, &self] { run(self); });
    }
}

WorkerPool::~WorkerPool() {
    stop();
}

bool WorkerPool::tryPost(std::function<void()> job) {
    Worker* woken = nullptr;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        if (_stopping || _jobs.size() >= _maxQueued) {
            return false;
        }
        _jobs.push_back(std::move(job));
        if (!_idle.empty()) {
            woken = _idle.back();
            _idle.pop_back();
        }
    }
    if (woken != nullptr) {
        woken->wake.notify_one();
    }
    return true;
}

void WorkerPool::stop() {
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _stopping = true;
        _idle.clear();
    }
    for (auto& worker : _workers) {
        worker->wake.notify_one();
    }
    for (auto& worker : _workers) {
        if (worker->thread.joinable()) {
            worker->thread.join();
        }
    }
}

void WorkerPool::run(Worker& self) {
    std::unique_lock<std::mutex> lock(_mutex);
    for (;;) {
        if (!_jobs.empty()) {
            std::function<void()> job = std::move(_jobs.front());
            _jobs.pop_front();
            lock.unlock();
            job();  // never throws: the router and the session answer every failure
            job = nullptr;
            lock.lock();
            continue;
        }
        if (_stopping) {
            return;  // nothing left
        }
        _idle.push_back(&self);
        self.wake.wait(lock);
        // Woken by a post (which took it off the idle list), by stop, or spuriously: then it
        // may still be listed, and must not be twice.
        for (auto it = _idle.begin(); it != _idle.end(); ++it) {
            if (*it == &self) {
                _idle.erase(it);
                break;
            }
        }
    }
}

}  // namespace timhost
