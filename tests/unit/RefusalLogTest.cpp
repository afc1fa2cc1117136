// The refusal log: one line per interval per client address, the next one telling how many
// were left out; addresses past the bound share one window, and quiet ones are forgotten
// without losing their counts.
#include "api/RefusalLog.h"
#include "support/CapturingChannel.h"

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/Message.h>

#include <cppunit/extensions/HelperMacros.h>

#include <vector>

namespace {

using namespace std::chrono_literals;

using testing::CapturingChannel;

// A refusal log on a clock the test moves.
struct Fixture {
    explicit Fixture(const std::string& name, std::size_t maxClients = 4096)
        : channel(new CapturingChannel),
          logger(Poco::Logger::get(name)),
          log(logger, 1s, maxClients, [this] { return now; }) {
        logger.setChannel(channel);
        logger.setLevel(Poco::Message::PRIO_INFORMATION);
    }
    Poco::AutoPtr<CapturingChannel> channel;
    Poco::Logger& logger;
    std::chrono::steady_clock::time_point now{std::chrono::hours(1)};
    api::RefusalLog log;
};

}  // namespace

class RefusalLogTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RefusalLogTest);
    CPPUNIT_TEST(oneLinePerSecondPerAddressThenTheCountLeftOut);
    CPPUNIT_TEST(addressesHaveTheirOwnWindows);
    CPPUNIT_TEST(addressesPastTheBoundShareOneWindowAndQuietOnesAreForgotten);
    CPPUNIT_TEST_SUITE_END();

  public:
    void oneLinePerSecondPerAddressThenTheCountLeftOut() {
        Fixture f("test.refusals.one");
        f.log.note("192.0.2.1", "refused 1");
        for (int i = 0; i < 5; ++i) {
            f.now += 100ms;
            f.log.note("192.0.2.1", "refused more");
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), f.channel->lines.size());
        CPPUNIT_ASSERT_EQUAL(std::string("refused 1"), f.channel->lines[0]);
        CPPUNIT_ASSERT_EQUAL(Poco::Message::PRIO_WARNING, f.channel->priorities[0]);
        f.now += 500ms;  // one second after the logged line
        f.log.note("192.0.2.1", "refused 7");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), f.channel->lines.size());
        CPPUNIT_ASSERT_EQUAL(std::string("refused 7 (5 more from this address not logged)"),
                             f.channel->lines[1]);
        f.now += 2s;
        f.log.note("192.0.2.1", "refused 8");
        CPPUNIT_ASSERT_EQUAL(std::string("refused 8"), f.channel->lines.at(2));
    }

    void addressesHaveTheirOwnWindows() {
        Fixture f("test.refusals.own");
        for (int i = 0; i < 50; ++i) {
            f.log.note("192.0.2.1", "flood");
        }
        f.log.note("192.0.2.2", "other");
        f.log.note("192.0.2.2", "other again");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), f.channel->lines.size());
        CPPUNIT_ASSERT_EQUAL(std::string("other"), f.channel->lines[1]);
    }

    void addressesPastTheBoundShareOneWindowAndQuietOnesAreForgotten() {
        Fixture f("test.refusals.bound", 2);
        f.log.note("a", "a1");
        f.log.note("a", "a2");  // left out: a has 1
        f.log.note("b", "b1");
        f.log.note("c", "c1");  // the map is full: c shares the untracked window
        f.log.note("d", "d1");  // so does d, within it
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), f.channel->lines.size());
        CPPUNIT_ASSERT_EQUAL(std::string("c1"), f.channel->lines[2]);
        f.now += 1s;
        // A sweep forgets a and b (quiet for a second); their count is told on the next line.
        f.log.note("e", "e1");
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), f.channel->lines.size());
        CPPUNIT_ASSERT_EQUAL(std::string("e1 (1 more from other addresses not logged)"),
                             f.channel->lines[3]);
        f.log.note("f", "f1");  // a new address with room again
        CPPUNIT_ASSERT_EQUAL(std::string("f1"), f.channel->lines.at(4));
        f.log.note("g", "g1");  // full again, no sweep due: the untracked window, a second on
        CPPUNIT_ASSERT_EQUAL(std::string("g1 (1 more from untracked addresses not logged)"),
                             f.channel->lines.at(5));
        f.log.note("h", "h1");  // left out in the untracked window
        CPPUNIT_ASSERT_EQUAL(std::size_t(6), f.channel->lines.size());
        f.now += 1s;
        f.log.note("h", "h2");  // the sweep made room: h has its own window
        CPPUNIT_ASSERT_EQUAL(std::string("h2"), f.channel->lines.at(6));
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(RefusalLogTest, "RefusalLogTest");
