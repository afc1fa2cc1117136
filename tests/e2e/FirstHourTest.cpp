// An operator's first mistakes: each stops the host fast with one line that says why, or is
// warned about; none hangs and none is silently ignored.
#include "support/HostProcess.h"
#include "support/SourceFiles.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Pipe.h>
#include <Poco/Process.h>
#include <Poco/Stopwatch.h>
#include <Poco/String.h>
#include <Poco/Thread.h>

#include <cppunit/extensions/HelperMacros.h>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <regex>
#include <thread>

using testing::HostProcess;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

std::string accountName(uid_t uid) {
    const passwd* account = getpwuid(uid);
    return account != nullptr ? account->pw_name : "uid " + std::to_string(uid);
}

void appendLine(const std::string& file, const std::string& line) {
    Poco::FileOutputStream out(file, std::ios::app);
    out << line << "\n";
}

std::size_t occurrences(const std::string& text, const std::string& part) {
    std::size_t count = 0;
    for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) {
        ++count;
    }
    return count;
}

}  // namespace

class FirstHourTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(FirstHourTest);
    CPPUNIT_TEST(aDatabaseFileOfAnotherAccountStopsTheStartNamingBoth);
    CPPUNIT_TEST(sigtermWhileTheDatabaseDoesNotAnswerEndsTheStart);
    CPPUNIT_TEST(aDamagedDatabaseFileIsNamedWithItsFix);
    CPPUNIT_TEST(aDirectoryInThePlaceOfTheFileIsNamed);
    CPPUNIT_TEST(aFileLockedByAnotherProgramFailsTheStartInTime);
    CPPUNIT_TEST(misspeltKeysAreWarnedAndFailConfigCheck);
    CPPUNIT_TEST(configAfterTheCommandIsTheFileRead);
    CPPUNIT_TEST(withoutConfigTheHostSaysSoAndWhereItsDataGoes);
    CPPUNIT_TEST(aHostWithoutPluginsDoesNotStart);
    CPPUNIT_TEST(anUnroutedRequestIsLoggedWithTheServedPaths);
    CPPUNIT_TEST(tokensCarryALabelAndTheirLastUse);
    CPPUNIT_TEST(rotatingTheSigningKeyEndsEveryToken);
    CPPUNIT_TEST(statusSaysWhatTheFirstHourNeeds);
    CPPUNIT_TEST(theRunTargetPrintsUrlAndTokenLastTogether);
    CPPUNIT_TEST_SUITE_END();

  public:
    // The admin guide's commands run as root before the service's first start create the
    // SQLite file as root; the service (another account) cannot open it. Here the file belongs
    // to another account: as root, the host runs without the capability to override file
    // permissions (as any other account would); otherwise the file is closed to its owner.
    void aDatabaseFileOfAnotherAccountStopsTheStartNamingBoth() {
        HostProcess host({"tim-scim"});
        std::string out;
        std::string err;
        CPPUNIT_ASSERT_EQUAL_MESSAGE(err, 0, host.runCommand("scim.status", {}, out, err));
        const std::string file = host.directory() + "/data/tim-scim.db";
        std::string owner = accountName(::geteuid());
        if (::geteuid() == 0) {
            const passwd* nobody = getpwnam("nobody");
            CPPUNIT_ASSERT(nobody != nullptr);
            for (const char* suffix : {"", "-wal", "-shm"}) {
                if (Poco::File(file + suffix).exists()) {
                    CPPUNIT_ASSERT_EQUAL(0, ::chown((file + suffix).c_str(), nobody->pw_uid, 0));
                }
            }
            owner = "nobody";
            host.runThrough({"/usr/bin/setpriv", "--bounding-set", "-dac_override,-dac_read_search",
                             "--inh-caps", "-dac_override,-dac_read_search"});
        } else {
            CPPUNIT_ASSERT_EQUAL(0, ::chmod(file.c_str(), 0));
        }

        Poco::Stopwatch watch;
        watch.start();
        host.launch();
        CPPUNIT_ASSERT(host.waitForExit(15000) != 0);
        CPPUNIT_ASSERT(watch.elapsedSeconds() < 15);
        const std::string log = host.log();
        for (const std::string& part :
             {file + " belongs to " + owner, "this process runs as " + accountName(::geteuid()),
              "chown " + accountName(::geteuid()) + " " + file + "*"}) {
            CPPUNIT_ASSERT_MESSAGE(log, contains(log, part));
        }
        CPPUNIT_ASSERT_MESSAGE(log, !contains(log, "listening on"));

        // An admin command meets the same line, as fast.
        watch.restart();
        CPPUNIT_ASSERT(host.runCommand("scim.status", {}, out, err) != 0);
        CPPUNIT_ASSERT(watch.elapsedSeconds() < 15);
        CPPUNIT_ASSERT_MESSAGE(err, contains(err, file + " belongs to " + owner));
    }

    // A server that accepts the connection and never greets (frozen, or not a database): a
    // SIGTERM sent meanwhile ends the start at once; alone, the start gives up within 15 s.
    void sigtermWhileTheDatabaseDoesNotAnswerEndsTheStart() {
        Poco::Net::ServerSocket silent;
        silent.bind(Poco::Net::SocketAddress("127.0.0.1", 0), true, false);
        silent.listen(16);
        const std::string port = std::to_string(silent.address().port());
        HostProcess host({"tim-scim"}, {{"scim.db.connector", "mysql"},
                                        {"scim.db.host", "127.0.0.1"},
                                        {"scim.db.port", port},
                                        {"scim.db.timeoutSeconds", "30"}});
        Poco::Stopwatch watch;
        watch.start();
        host.launch();
        Poco::Thread::sleep(1000);
        CPPUNIT_ASSERT(host.running());  // still waiting for the server
        ::kill(static_cast<pid_t>(host.pid()), SIGTERM);
        CPPUNIT_ASSERT_EQUAL(0, host.waitForExit(15000));
        CPPUNIT_ASSERT(watch.elapsedSeconds() < 4);
        CPPUNIT_ASSERT_MESSAGE(host.log(), contains(host.log(), "stop requested while starting"));
        CPPUNIT_ASSERT_MESSAGE(host.log(), !contains(host.log(), "listening on"));

        watch.restart();
        host.launch();  // no stop this time: the start gives up by itself
        CPPUNIT_ASSERT(host.waitForExit(15000) != 0);
        CPPUNIT_ASSERT(watch.elapsedSeconds() < 15);
        const std::string log = host.log();
        CPPUNIT_ASSERT_MESSAGE(
            log, contains(log, "cannot open database mysql tim@127.0.0.1:" + port + "/tim as " +
                                   accountName(::geteuid())));
        CPPUNIT_ASSERT_MESSAGE(log, contains(log,
                                             "check that the server runs and answers at "
                                             "127.0.0.1:" +
                                                 port));
    }

    void aDamagedDatabaseFileIsNamedWithItsFix() {
        HostProcess host({"tim-scim"});
        Poco::File(host.directory() + "/data").createDirectories();
        const std::string file = host.directory() + "/data/tim-scim.db";
        {
            Poco::FileOutputStream out(file);
            out << std::string(8192, 'x');
        }
        ::chmod((host.directory() + "/data").c_str(), 0700);
        std::string out;
        std::string err;
        CPPUNIT_ASSERT(host.runCommand("scim.status", {}, out, err) != 0);
        CPPUNIT_ASSERT_MESSAGE(err, contains(err, "cannot open database sqlite " + file));
        CPPUNIT_ASSERT_MESSAGE(err, contains(err,
                                             "not a usable SQLite database: restore it from "
                                             "a backup, or move it aside"));
    }

    void aDirectoryInThePlaceOfTheFileIsNamed() {
        HostProcess host({"tim-scim"});
        const std::string file = host.directory() + "/data/tim-scim.db";
        Poco::File(file).createDirectories();
        ::chmod((host.directory() + "/data").c_str(), 0700);
        std::string out;
        std::string err;
        CPPUNIT_ASSERT(host.runCommand("scim.status", {}, out, err) != 0);
        CPPUNIT_ASSERT_MESSAGE(err, contains(err, file + " is a directory where the database file "
                                                         "should be: move it aside"));
    }

    // Another program holds the write lock of a database not yet in WAL mode: the start waits
    // the busy timeout once (on the clock, not per attempt) and names the file and the way to
    // find the holder.
    void aFileLockedByAnotherProgramFailsTheStartInTime() {
        HostProcess host({"tim-scim"}, {{"scim.db.sqlite.busyTimeoutMs", "3000"}});
        const std::string file = host.directory() + "/data/tim-scim.db";
        Poco::File(host.directory() + "/data").createDirectories();
        ::chmod((host.directory() + "/data").c_str(), 0700);
        Poco::Data::SQLite::Connector::registerConnector();
        Poco::Data::Session holder(Poco::Data::SQLite::Connector::KEY, file);
        holder << "CREATE TABLE held (x INTEGER)", Poco::Data::Keywords::now;
        holder << "BEGIN EXCLUSIVE", Poco::Data::Keywords::now;
        Poco::Stopwatch watch;
        watch.start();
        host.launch();
        CPPUNIT_ASSERT(host.waitForExit(15000) != 0);
        CPPUNIT_ASSERT(watch.elapsedSeconds() < 10);
        holder << "ROLLBACK", Poco::Data::Keywords::now;
        const std::string log = host.log();
        CPPUNIT_ASSERT_MESSAGE(log, contains(log, "cannot open database sqlite " + file));
        CPPUNIT_ASSERT_MESSAGE(log, contains(log, "find it (fuser " + file + ") and stop it"));
    }

    // tim.properties is TIM's whole file: a key of another component passes, a key in our
    // namespaces that nothing reads is named with the key it was probably meant to be.
    void misspeltKeysAreWarnedAndFailConfigCheck() {
        HostProcess host({"tim-scim"});
        std::string out;
        std::string err;
        CPPUNIT_ASSERT_EQUAL_MESSAGE(out + err, 0, host.runCommand("config.check", {}, out, err));
        CPPUNIT_ASSERT_MESSAGE(out, contains(out, "configuration: " + host.configFile()));
        CPPUNIT_ASSERT_MESSAGE(out, contains(out, "plugins started: 1"));

        for (const char* line :
             {"scim.db.conector = mysql", "jwtAccessTokenExpirationTimeSCIM = 30d",
              "http.prot = 9000", "InitPass-X-Others = secret", "tim.ui.theme = dark"}) {
            appendLine(host.configFile(), line);
        }
        const std::pair<const char*, const char*> expected[] = {
            {"scim.db.conector", "scim.db.connector"},
            {"jwtAccessTokenExpirationTimeSCIM", "jwtAccessTokenExpirationTimeScim"},
            {"http.prot", "http.port"},
            {"InitPass-X-Others", "initpass-x-others"}};
        CPPUNIT_ASSERT_EQUAL_MESSAGE(out + err, 78, host.runCommand("config.check", {}, out, err));
        for (const auto& key : expected) {
            const std::string line = std::string("tim.properties: nothing reads the key ") +
                                     key.first + " (did you mean " + key.second + "?)";
            CPPUNIT_ASSERT_MESSAGE(out, contains(out, line));
        }
        CPPUNIT_ASSERT_MESSAGE(out, contains(out, "unknown keys: 4"));
        CPPUNIT_ASSERT_MESSAGE(out, !contains(out, "tim.ui.theme"));

        CPPUNIT_ASSERT_EQUAL(64, host.run({"--command=config.check"}, out, err));
        CPPUNIT_ASSERT_MESSAGE(out, contains(out, "no --config given: there is no file to check"));
        HostProcess failing({"failing_init_plugin", "echo_plugin"},
                            {{"plugin.optional", "failing_init_plugin"}});
        CPPUNIT_ASSERT_EQUAL(78, failing.runCommand("config.check", {}, out, err));
        CPPUNIT_ASSERT_MESSAGE(out, contains(out, "plugin failing_init_plugin did not start"));

        host.start();  // a warning, not a refusal: the rest of the file is right
        const std::string log = host.log();
        for (const auto& key : expected) {
            CPPUNIT_ASSERT_MESSAGE(log,
                                   contains(log, std::string("Warning timhost: tim.properties: "
                                                             "nothing reads the key ") +
                                                     key.first));
        }
        CPPUNIT_ASSERT_EQUAL(0, host.stop());
    }

    void configAfterTheCommandIsTheFileRead() {
        HostProcess host({"tim-scim"});
        std::string out;
        std::string err;
        CPPUNIT_ASSERT_EQUAL_MESSAGE(err, 0,
                                     host.runCommand("scim.user.create-local", {"ada"}, out, err));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(
            err, 0, host.run({"--command=scim.status", "--config=" + host.configFile()}, out, err));
        CPPUNIT_ASSERT_MESSAGE(out, contains(out, "users: 1 active"));
        CPPUNIT_ASSERT_MESSAGE(err, contains(err, "configuration: " + host.configFile()));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(
            err, 0, host.run({"--command=scim.status", "--config", host.configFile()}, out, err));
        CPPUNIT_ASSERT_MESSAGE(out, contains(out, "users: 1 active"));
        // Two files are a mistake, not a merge.
        CPPUNIT_ASSERT(host.run({"--config=" + host.configFile(), "--command=scim.status",
                                 "--config=" + host.configFile()},
                                out, err) != 0);
        CPPUNIT_ASSERT_MESSAGE(err, contains(err, "--config is given twice"));
    }

    // The package's layout: bin/timhost next to plugins/ and data/. Without --config the host
    // reads no file, and says so with the directories it uses.
    void withoutConfigTheHostSaysSoAndWhereItsDataGoes() {
        HostProcess host({"tim-scim"});
        Poco::File(host.directory() + "/bin").createDirectories();
        const std::string timhost = host.directory() + "/bin/timhost";
        Poco::File(HostProcess::environment("TIMHOST")).linkTo(timhost, Poco::File::LINK_SYMBOLIC);
        Poco::Pipe outPipe;
        Poco::Pipe errPipe;
        Poco::ProcessHandle process = Poco::Process::launch(
            timhost, {"--command=scim.status"}, host.directory(), nullptr, &outPipe, &errPipe);
        std::string err;
        std::thread errReader([&] { err = testing::readAll(errPipe); });
        const std::string out = testing::readAll(outPipe);
        errReader.join();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(err, 0, process.wait());
        CPPUNIT_ASSERT_MESSAGE(err, contains(err, "no --config given: no tim.properties was read"));
        CPPUNIT_ASSERT_MESSAGE(err, contains(err, "data.dir " + host.directory() + "/bin/../data"));
        CPPUNIT_ASSERT_MESSAGE(out, contains(out, "users: 0 active"));
        CPPUNIT_ASSERT(Poco::File(host.directory() + "/data/tim-scim.db").exists());
    }

    void aHostWithoutPluginsDoesNotStart() {
        HostProcess host({});
        Poco::Stopwatch watch;
        watch.start();
        host.launch();
        CPPUNIT_ASSERT_EQUAL(78, host.waitForExit(15000));
        const std::string log = host.log();
        CPPUNIT_ASSERT_MESSAGE(log, contains(log, "no plugin started from " + host.directory() +
                                                      "/plugins (plugin.dir)"));
        CPPUNIT_ASSERT_MESSAGE(log, !contains(log, "listening on"));

        HostProcess allowed({}, {{"plugin.allowNone", "true"}});
        allowed.start();
        CPPUNIT_ASSERT_EQUAL(404, allowed.request("GET", "/tim/api/scim/Users").status);
        CPPUNIT_ASSERT_EQUAL(0, allowed.stop());
    }

    // A wrong Tenant URL reaches no plugin: the 404 is logged with what is served, at most five
    // lines per 10 s however many come.
    void anUnroutedRequestIsLoggedWithTheServedPaths() {
        HostProcess host({"tim-scim"});
        host.start();
        CPPUNIT_ASSERT_EQUAL(404, host.request("GET", "/scim/v2/Users").status);
        for (int i = 0; i < 20; ++i) {
            CPPUNIT_ASSERT_EQUAL(404, host.request("GET", "/probe/" + std::to_string(i)).status);
        }
        CPPUNIT_ASSERT(testing::eventually(
            [&] { return contains(host.log(), "no plugin serves GET /scim/v2/Users"); }));
        const std::string log = host.log();
        CPPUNIT_ASSERT_MESSAGE(log, contains(log, "served: /tim/api/scim (tim-scim)"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(log, std::size_t(5), occurrences(log, "no plugin serves"));
        CPPUNIT_ASSERT_MESSAGE(log, contains(log, "no plugin serves GET /probe/3 "));
        CPPUNIT_ASSERT_MESSAGE(log, !contains(log, "no plugin serves GET /probe/4 "));
        CPPUNIT_ASSERT_EQUAL(0, host.stop());
    }

    void tokensCarryALabelAndTheirLastUse() {
        HostProcess host({"tim-scim"});
        host.start();
        std::string token;
        std::string err;
        CPPUNIT_ASSERT_EQUAL_MESSAGE(
            err, 0, host.runCommand("scim.token.generate", {"--label", "entra"}, token, err));
        token = Poco::trim(token);
        std::string out;
        CPPUNIT_ASSERT(host.runCommand("scim.token.generate", {"--label", "two words"}, out, err) !=
                       0);
        CPPUNIT_ASSERT_MESSAGE(err, contains(err, "a token label is 1 to 64 letters"));
        CPPUNIT_ASSERT_EQUAL(0, host.runCommand("scim.token.list", {}, out, err));
        CPPUNIT_ASSERT_MESSAGE(out, std::regex_search(out, std::regex(" entra +provisioning +\\S+ "
                                                                      "+\\S+ +never +active\n")));
        CPPUNIT_ASSERT_EQUAL(1, static_cast<int>(std::count(out.begin(), out.end(), '\n')) - 1);

        CPPUNIT_ASSERT_EQUAL(200, host.request("GET", "/tim/api/scim/Users", "",
                                               {{"Authorization", "Bearer " + token}})
                                      .status);
        CPPUNIT_ASSERT_EQUAL(0, host.runCommand("scim.token.list", {}, out, err));
        std::smatch row;
        CPPUNIT_ASSERT_MESSAGE(
            out, std::regex_search(out, row,
                                   std::regex("\n(\\S+) +entra +provisioning +\\S+ +\\S+ "
                                              "+(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\dZ) +active\n")));
        const std::string jti = row[1];
        CPPUNIT_ASSERT_EQUAL(0, host.runCommand("scim.token.label", {jti, "entra-prod"}, out, err));
        CPPUNIT_ASSERT(host.runCommand("scim.token.label", {"no-such-jti", "x"}, out, err) != 0);
        CPPUNIT_ASSERT_EQUAL(0, host.runCommand("scim.token.list", {}, out, err));
        CPPUNIT_ASSERT_MESSAGE(out, contains(out, jti + "  entra-prod "));
        CPPUNIT_ASSERT_EQUAL(0, host.stop());
    }

    void rotatingTheSigningKeyEndsEveryToken() {
        HostProcess host({"tim-scim"}, {{"scim.token.cacheSeconds", "1"}});
        const std::string old = host.generateToken();
        host.start();
        const auto status = [&host](const std::string& token) {
            return host
                .request("GET", "/tim/api/scim/Users", "", {{"Authorization", "Bearer " + token}})
                .status;
        };
        CPPUNIT_ASSERT_EQUAL(200, status(old));
        std::string out;
        std::string err;
        CPPUNIT_ASSERT_EQUAL_MESSAGE(err, 0,
                                     host.runCommand("scim.token.rotate-key", {}, out, err));
        CPPUNIT_ASSERT_MESSAGE(out, contains(out, "revoked every token (1 not revoked before)"));
        CPPUNIT_ASSERT_MESSAGE(out, contains(out, "restart timhost on every instance"));
        CPPUNIT_ASSERT(testing::eventually([&] { return status(old) == 401; }, 5000));
        CPPUNIT_ASSERT_EQUAL(0, host.stop());
        host.start();
        CPPUNIT_ASSERT_EQUAL(401, status(old));
        CPPUNIT_ASSERT_EQUAL(200, status(host.generateToken()));
        CPPUNIT_ASSERT_EQUAL(0, host.stop());

        // A key kept in tim.properties is the operator's to change there.
        HostProcess configured({"tim-scim"},
                               {{"scim.token.signingKey", "0123456789abcdef0123456789abcdef-key"}});
        CPPUNIT_ASSERT(configured.runCommand("scim.token.rotate-key", {}, out, err) != 0);
        CPPUNIT_ASSERT_MESSAGE(err, contains(err,
                                             "the signing key is scim.token.signingKey in "
                                             "tim.properties: replace it there"));
    }

    void statusSaysWhatTheFirstHourNeeds() {
        HostProcess host({"tim-scim"});
        host.generateToken();
        std::string out;
        std::string err;
        CPPUNIT_ASSERT_EQUAL(0, host.runCommand("scim.status", {}, out, err));
        CPPUNIT_ASSERT_MESSAGE(out, contains(out,
                                             "tokens: 1 not revoked (1 provisioning token(s) "
                                             "without a label: the expiry alert watches only "
                                             "the last of them to expire"));
        CPPUNIT_ASSERT_MESSAGE(out, contains(out,
                                             "initpass-x-others: not set: users SCIM creates "
                                             "get no password"));
        appendLine(host.configFile(), "initpass-x-others = Welcome-1");
        CPPUNIT_ASSERT_EQUAL(0, host.runCommand("scim.status", {}, out, err));
        CPPUNIT_ASSERT_MESSAGE(out, contains(out, "initpass-x-others: set"));
    }

    // README's run target: the start-up lines first, then URL and token together, last.
    void theRunTargetPrintsUrlAndTokenLastTogether() {
        HostProcess host({"tim-scim"});
        const std::string output = host.directory() + "/run.out";
        const std::string script = std::string(TIM_SOURCE_DIR) + "/src/host/run-local.sh";
        Poco::ProcessHandle run = Poco::Process::launch(
            "/bin/sh",
            {"-c", "exec bash '" + script + "' '" + HostProcess::environment("TIMHOST") + "' '" +
                       host.configFile() + "' " + std::to_string(host.port()) +
                       " /tim/api/scim >'" + output + "' 2>&1"},
            host.directory());
        const std::string rule(90, '=');
        CPPUNIT_ASSERT(testing::eventually(
            [&] { return occurrences(testing::readFile(output), rule) == 2; }, 20000));
        const std::string text = testing::readFile(output);
        const auto listening = text.find("Information timhost: listening on");
        const auto url = text.find("SCIM base URL, this machine only:  http://127.0.0.1:" +
                                   std::to_string(host.port()) + "/tim/api/scim\n");
        CPPUNIT_ASSERT_MESSAGE(text, listening != std::string::npos && url != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(text, listening < text.find(rule));
        std::smatch token;
        CPPUNIT_ASSERT_MESSAGE(
            text, std::regex_search(text, token,
                                    std::regex("Bearer token \\(label local-run[^\n]*\n(\\S+)\n")));
        CPPUNIT_ASSERT_MESSAGE(text, contains(text, "Entra cannot reach this loopback URL"));
        CPPUNIT_ASSERT_MESSAGE(text, text.substr(text.size() - rule.size() - 1) == rule + "\n");
        CPPUNIT_ASSERT_EQUAL(200, host.request("GET", "/tim/api/scim/Users", "",
                                               {{"Authorization", "Bearer " + token[1].str()}})
                                      .status);
        ::kill(static_cast<pid_t>(run.id()), SIGTERM);  // as Ctrl-C would: the host stops too
        CPPUNIT_ASSERT_EQUAL(0, run.wait());
        CPPUNIT_ASSERT_MESSAGE(testing::readFile(output),
                               contains(testing::readFile(output), "Information timhost: stopped"));
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(FirstHourTest, "FirstHourTest");
