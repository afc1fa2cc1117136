// The front's worker pool: a bounded queue refuses at once instead of growing, and a stop runs
// what was queued before it joins.
#include "WorkerPool.h"

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <condition_variable>
#include <mutex>

class WorkerPoolTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(WorkerPoolTest);
    CPPUNIT_TEST(aFullQueueRefusesAtOnce);
    CPPUNIT_TEST(stopRunsWhatWasQueued);
    CPPUNIT_TEST_SUITE_END();

  public:
    void aFullQueueRefusesAtOnce() {
        timhost::WorkerPool pool(1, 2);
        std::mutex mutex;
        std::condition_variable changed;
        bool started = false;
        bool release = false;
        std::atomic<int> ran{0};
        CPPUNIT_ASSERT(pool.tryPost([&] {
            std::unique_lock<std::mutex> lock(mutex);
            started = true;
            changed.notify_all();
            changed.wait(lock, [&] { return release; });
            ++ran;
        }));
        {
            std::unique_lock<std::mutex> lock(mutex);
            changed.wait(lock, [&] { return started; });  // the one worker is busy
        }
        CPPUNIT_ASSERT(pool.tryPost([&] { ++ran; }));
        CPPUNIT_ASSERT(pool.tryPost([&] { ++ran; }));
        CPPUNIT_ASSERT(!pool.tryPost([&] { ++ran; }));  // two wait already: refused, not queued
        {
            std::lock_guard<std::mutex> lock(mutex);
            release = true;
        }
        changed.notify_all();
        pool.stop();
        CPPUNIT_ASSERT_EQUAL(3, ran.load());
        CPPUNIT_ASSERT(!pool.tryPost([] {}));  // stopped
    }

    void stopRunsWhatWasQueued() {
        std::atomic<int> ran{0};
        {
            timhost::WorkerPool pool(2, 100);
            for (int i = 0; i < 50; ++i) {
                CPPUNIT_ASSERT(pool.tryPost([&] { ++ran; }));
            }
            pool.stop();
        }
        CPPUNIT_ASSERT_EQUAL(50, ran.load());
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(WorkerPoolTest, "WorkerPoolTest");
