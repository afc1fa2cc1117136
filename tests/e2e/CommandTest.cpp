// Admin commands through `timhost --command=NAME [args...]`.
#include "support/HostProcess.h"

#include <cppunit/extensions/HelperMacros.h>

using testing::HostProcess;

class CommandTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(CommandTest);
    CPPUNIT_TEST(commandPrintsItsOutputOnStdoutOnly);
    CPPUNIT_TEST(failingCommandExitsNonZero);
    CPPUNIT_TEST(unknownCommandListsTheKnownOnes);
    CPPUNIT_TEST(scimMigrationsListsAppliedMigrations);
    CPPUNIT_TEST(scimRolesListsTheCatalogue);
    CPPUNIT_TEST(purgeRunsAsACommandAndAsAScheduledTask);
    CPPUNIT_TEST_SUITE_END();

  public:
    void commandPrintsItsOutputOnStdoutOnly() {
        HostProcess host({"echo_plugin"});
        std::string out;
        std::string err;
        CPPUNIT_ASSERT_EQUAL(0, host.runCommand("echo.args", {"a", "b c", "--flag"}, out, err));
        CPPUNIT_ASSERT_EQUAL(std::string("a,b c,--flag\n"), out);
        CPPUNIT_ASSERT_MESSAGE(err, err.find("loaded plugin echo_plugin") != std::string::npos);
    }

    void failingCommandExitsNonZero() {
        HostProcess host({"echo_plugin"});
        std::string out;
        std::string err;
        CPPUNIT_ASSERT(host.runCommand("echo.args", {"fail"}, out, err) != 0);
        CPPUNIT_ASSERT_MESSAGE(err, err.find("command echo.args failed") != std::string::npos);
    }

    void unknownCommandListsTheKnownOnes() {
        HostProcess host({"echo_plugin"});
        std::string out;
        std::string err;
        CPPUNIT_ASSERT(host.runCommand("no.such.command", {}, out, err) != 0);
        CPPUNIT_ASSERT_MESSAGE(err,
                               err.find("unknown command: no.such.command") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(err, err.find("echo.args") != std::string::npos);
        CPPUNIT_ASSERT(out.empty());
    }

    void scimMigrationsListsAppliedMigrations() {
        HostProcess host({"tim-scim"});
        std::string out;
        std::string err;
        CPPUNIT_ASSERT_EQUAL_MESSAGE(err, 0, host.runCommand("scim.migrations", {}, out, err));
        CPPUNIT_ASSERT_MESSAGE(out, out.rfind("0001_schema_version.sql  ", 0) == 0);
    }

    void scimRolesListsTheCatalogue() {
        HostProcess host({"tim-scim"},
                         {{"scim.roles.known", "auditor"},
                          {"scim.roles.internal", "system,timer,viewer,configurable"}});
        std::string out;
        std::string err;
        CPPUNIT_ASSERT_EQUAL_MESSAGE(err, 0, host.runCommand("scim.roles", {}, out, err));
        for (const char* line :
             {"auditor  -\n", "configurable  [internal]  -\n", "processmanager  -\n",
              "system  [internal]  -\n", "workflow-designer  -\n"}) {
            CPPUNIT_ASSERT_MESSAGE(out, out.find(line) != std::string::npos);
        }
    }

    void purgeRunsAsACommandAndAsAScheduledTask() {
        HostProcess host({"tim-scim"}, {{"scim.purge.intervalSeconds", "1"}});
        std::string out;
        std::string err;
        CPPUNIT_ASSERT_EQUAL_MESSAGE(err, 0, host.runCommand("scim.status", {}, out, err));
        CPPUNIT_ASSERT_MESSAGE(out,
                               out.find("users: 0 active, 0 disabled, 0 deleted (pending purge)") !=
                                   std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(out, out.find("last purge: never") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(err, 0, host.runCommand("scim.purge.run", {}, out, err));
        CPPUNIT_ASSERT_EQUAL(
            std::string("purged 0 user(s), 0 membership(s), 0 role assignment(s) in 0 batch(es), "
                        "and 0 audit row(s) past their retention\n"),
            out);
        CPPUNIT_ASSERT_EQUAL(0, host.runCommand("scim.status", {}, out, err));
        CPPUNIT_ASSERT_MESSAGE(out, out.find("last purge: never") == std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(out, out.find("next purge due: 20") != std::string::npos);

        // Registered through the ABI, the task runs on its interval in the host.
        host.start();
        CPPUNIT_ASSERT_MESSAGE(host.log(), testing::eventually([&] {
                                   const std::string log = host.log();
                                   const auto first = log.find("purge: purged 0 user(s)");
                                   return first != std::string::npos &&
                                          log.find("purge: purged 0 user(s)", first + 1) !=
                                              std::string::npos;
                               }));
        CPPUNIT_ASSERT(host.log().find("scheduled task scim.purge every 1000 ms") !=
                       std::string::npos);
        CPPUNIT_ASSERT_EQUAL(0, host.stop());
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(CommandTest, "CommandTest");
