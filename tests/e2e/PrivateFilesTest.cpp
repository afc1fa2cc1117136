// The files that hold the token signing key and the password hashes are the owner's alone,
// whatever the umask timhost starts with, and wider modes left from before are narrowed.
#include "support/HostProcess.h"

#include <cppunit/extensions/HelperMacros.h>

#include <sys/stat.h>

using testing::HostProcess;

namespace {

// The permission bits of `path`, or -1 when it does not exist.
int modeOf(const std::string& path) {
    struct stat status {};
    return ::stat(path.c_str(), &status) == 0 ? static_cast<int>(status.st_mode & 07777) : -1;
}

// Sets the process umask (inherited by timhost) for one test.
class UmaskScope {
  public:
    explicit UmaskScope(mode_t mask) : _previous(::umask(mask)) {}
    ~UmaskScope() { ::umask(_previous); }

  private:
    const mode_t _previous;
};

}  // namespace

class PrivateFilesTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PrivateFilesTest);
    CPPUNIT_TEST(dataDirectoryAndDatabaseAreOwnerOnlyUnderAnOpenUmask);
    CPPUNIT_TEST(widerModesFoundAtStartAreNarrowedWithAWarning);
    CPPUNIT_TEST_SUITE_END();

  public:
    void dataDirectoryAndDatabaseAreOwnerOnlyUnderAnOpenUmask() {
        UmaskScope open(0);
        HostProcess host({"tim-scim"});
        host.start();
        const testing::ScimClient send(host);  // writes the token registry
        CPPUNIT_ASSERT_EQUAL(201, send("POST", "/Users", R"({"userName":"files.alice"})").status);
        const std::string data = host.directory() + "/data";
        CPPUNIT_ASSERT_EQUAL(0700, modeOf(data));
        // The host runs in WAL mode: all three files exist now.
        for (const char* file : {"/tim-scim.db", "/tim-scim.db-wal", "/tim-scim.db-shm"}) {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(file, 0600, modeOf(data + file));
        }
        CPPUNIT_ASSERT_EQUAL(0, host.stop());
    }

    void widerModesFoundAtStartAreNarrowedWithAWarning() {
        HostProcess host({"tim-scim"});
        host.start();
        CPPUNIT_ASSERT_EQUAL(0, host.stop());
        const std::string data = host.directory() + "/data";
        CPPUNIT_ASSERT_EQUAL(0, ::chmod(data.c_str(), 0755));
        CPPUNIT_ASSERT_EQUAL(0, ::chmod((data + "/tim-scim.db").c_str(), 0644));

        host.start();
        CPPUNIT_ASSERT_EQUAL(0700, modeOf(data));
        CPPUNIT_ASSERT_EQUAL(0600, modeOf(data + "/tim-scim.db"));
        CPPUNIT_ASSERT_EQUAL(0, host.stop());
        const std::string log = host.log();
        CPPUNIT_ASSERT(log.find("data.dir " + data + " was open to other accounts (mode 0755)") !=
                       std::string::npos);
        CPPUNIT_ASSERT(log.find(data + "/tim-scim.db was readable by other accounts (mode 0644)") !=
                       std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(PrivateFilesTest, "PrivateFilesTest");
