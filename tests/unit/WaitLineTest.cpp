// The line requests wait in for a database session (WaitLine), with a stand-in for the pool: a
// waiter whose attempt throws hands its turn to the next; one whose limit passes before its
// turn still tries once, then leaves without holding up the line; a limit already past with
// nobody waiting tries once and fails at once.
#include "store/engine/WaitLine.h"

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <chrono>
#include <future>
#include <stdexcept>
#include <thread>

namespace {

using Clock = std::chrono::steady_clock;

// Waits until `line` holds `count` waiters (or 2 s pass).
void untilWaiting(const store::WaitLine& line, std::size_t count) {
    for (int i = 0; i < 2000 && line.waiting() < count; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

}  // namespace

class WaitLineTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(WaitLineTest);
    CPPUNIT_TEST(anAttemptThatThrowsHandsTheTurnOn);
    CPPUNIT_TEST(aWaiterPastItsLimitTriesOnceAndLeaves);
    CPPUNIT_TEST(aLimitAlreadyPastTriesOnceAtOnce);
    CPPUNIT_TEST_SUITE_END();

  public:
    void anAttemptThatThrowsHandsTheTurnOn() {
        store::WaitLine line;
        const auto later = Clock::now() + std::chrono::seconds(30);
        // First in line, it fails (a connection that cannot be opened) once a second waits.
        auto first = std::async(std::launch::async, [&] {
            return line.inTurn(
                [&]() -> bool {
                    if (line.waiting() == 2) {
                        throw std::runtime_error("the connection failed");
                    }
                    return false;
                },
                later);
        });
        untilWaiting(line, 1);
        auto second =
            std::async(std::launch::async, [&] { return line.inTurn([] { return true; }, later); });
        CPPUNIT_ASSERT_THROW(first.get(), std::runtime_error);
        const auto thrown = Clock::now();
        CPPUNIT_ASSERT(second.get());
        // Woken when the first left, not at its own limit.
        CPPUNIT_ASSERT(Clock::now() - thrown < std::chrono::seconds(5));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), line.waiting());
    }

    void aWaiterPastItsLimitTriesOnceAndLeaves() {
        store::WaitLine line;
        std::atomic<bool> free{false};
        std::atomic<int> laterTries{0};
        auto first = std::async(std::launch::async, [&] {
            return line.inTurn([&] { return free.load(); },
                               Clock::now() + std::chrono::seconds(30));
        });
        untilWaiting(line, 1);
        // Behind the first, with a limit of 50 ms: it waits its turn, and at its limit tries once.
        const auto asked = Clock::now();
        const bool served = line.inTurn(
            [&] {
                ++laterTries;
                return false;
            },
            asked + std::chrono::milliseconds(50));
        CPPUNIT_ASSERT(!served);
        CPPUNIT_ASSERT_EQUAL(1, laterTries.load());
        CPPUNIT_ASSERT(Clock::now() - asked >= std::chrono::milliseconds(50));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), line.waiting());  // the first still waits
        free = true;
        CPPUNIT_ASSERT(first.get());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), line.waiting());
    }

    void aLimitAlreadyPastTriesOnceAtOnce() {
        store::WaitLine line;
        int tries = 0;
        const auto asked = Clock::now();
        CPPUNIT_ASSERT(!line.inTurn(
            [&] {
                ++tries;
                return false;
            },
            asked));
        CPPUNIT_ASSERT_EQUAL(1, tries);
        CPPUNIT_ASSERT(Clock::now() - asked < std::chrono::seconds(1));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), line.waiting());
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(WaitLineTest, "WaitLineTest");
