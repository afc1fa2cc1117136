// Runs work(i) on n threads that start together, and joins them.
#pragma once

#include <atomic>
#include <functional>
#include <thread>
#include <vector>

namespace testing {

inline void race(int n, const std::function<void(int)>& work) {
    std::atomic<int> ready{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < n; ++i) {
        threads.emplace_back([&, i] {
            ++ready;
            while (ready.load() < n) {
                std::this_thread::yield();  // start together
            }
            work(i);
        });
    }
    for (auto& t : threads) {
        t.join();
    }
}

}  // namespace testing
