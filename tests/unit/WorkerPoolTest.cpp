// The front's worker pool: a bounded queue refuses at once instead of growing, and a stop runs
// what was queued before it joins. And its warnings: at most one a second, the next counting
// what was left out.
#include "LineThrottle.h"
#include "WorkerPool.h"
#include "support/CapturingChannel.h"

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/Message.h>

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <vector>

namespace {

using testing::CapturingChannel;

}  // namespace

class WorkerPoolTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(WorkerPoolTest);
    CPPUNIT_TEST(aFullQueueRefusesAtOnce);
    CPPUNIT_TEST(stopRunsWhatWasQueued);
    CPPUNIT_TEST(warningsAreOneASecondWithTheCountLeftOut);
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

    void warningsAreOneASecondWithTheCountLeftOut() {
        using namespace std::chrono_literals;
        Poco::AutoPtr<CapturingChannel> channel(new CapturingChannel);
        Poco::Logger& logger = Poco::Logger::get("test.linethrottle");
        logger.setChannel(channel);
        logger.setLevel(Poco::Message::PRIO_INFORMATION);
        std::chrono::steady_clock::time_point now{std::chrono::hours(1)};
        timhost::LineThrottle throttle(logger, [&now] { return now; });
        for (int i = 0; i < 5; ++i) {
            throttle.warning("cut " + std::to_string(i));
            now += 100ms;
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), channel->lines.size());
        CPPUNIT_ASSERT_EQUAL(std::string("cut 0"), channel->lines[0]);
        now += 500ms;  // a second after the line written
        throttle.warning("cut 5");
        CPPUNIT_ASSERT_EQUAL(std::string("cut 5 (4 more like it not logged)"),
                             channel->lines.at(1));
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(WorkerPoolTest, "WorkerPoolTest");
