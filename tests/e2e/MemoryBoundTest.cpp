// Peak memory of timhost under a JSON bomb, measured from its VmHWM: the limits are enforced
// while the body is parsed, so refusing it costs little. Registered for the normal build only:
// under ASan, quarantine and redzones are not the product's memory.
#include "support/HostProcess.h"

#include <cppunit/extensions/HelperMacros.h>

#include <fstream>
#include <iostream>

using testing::HostProcess;

namespace {

// A field of /proc/PID/status in kB (VmHWM: the peak resident memory; VmRSS: the current one).
long statusKb(long pid, const std::string& field) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind(field + ":", 0) == 0) {
            return std::stol(line.substr(field.size() + 1));
        }
    }
    throw std::runtime_error("no " + field + " for process " + std::to_string(pid));
}

}  // namespace

class MemoryBoundTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(MemoryBoundTest);
    CPPUNIT_TEST(aJsonBombIsRefusedWithinBoundedMemory);
    CPPUNIT_TEST_SUITE_END();

  public:
    void setUp() override {
        _host = std::make_unique<HostProcess>(std::vector<std::string>{"tim-scim"});
        _host->start();
    }

    void tearDown() override {
        if (_host) {
            CPPUNIT_ASSERT_EQUAL(0, _host->stop());
        }
    }

    void aJsonBombIsRefusedWithinBoundedMemory() {
        const testing::ScimClient send(*_host);
        CPPUNIT_ASSERT_EQUAL(200, send("GET", "/Users").status);
        const long peakBefore = statusKb(_host->pid(), "VmHWM");
        const long residentBefore = statusKb(_host->pid(), "VmRSS");
        // 9 MB of empty arrays: three million values, each a Poco::JSON::Array once parsed.
        std::string bomb = R"({"userName":"bomb@example.com","urn:example:x":[[])";
        bomb.reserve(9 * 1024 * 1024);
        while (bomb.size() < 9 * 1024 * 1024 - 8) {
            bomb += ",[]";
        }
        bomb += "]}";
        const auto refused = send("POST", "/Users", bomb);
        CPPUNIT_ASSERT_EQUAL(400, refused.status);
        CPPUNIT_ASSERT_MESSAGE(refused.body,
                               refused.body.find("more than 100000 values") != std::string::npos);
        const long peakGrowth = statusKb(_host->pid(), "VmHWM") - peakBefore;
        const long residentGrowth = statusKb(_host->pid(), "VmRSS") - residentBefore;
        std::cerr << "JSON bomb: peak +" << peakGrowth << " kB, resident afterwards +"
                  << residentGrowth << " kB\n";
        CPPUNIT_ASSERT(peakGrowth < 50 * 1024);
        CPPUNIT_ASSERT(residentGrowth < 50 * 1024);
    }

  private:
    std::unique_ptr<HostProcess> _host;
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(MemoryBoundTest, "MemoryBoundTest");
