// Every timhost command line printed in the README and docs/ runs as printed: against a host
// with the packages' layout (its own tim.properties standing in for /etc/tim/tim.properties),
// as the account that owns its files (runuser -u tim, here the test's own account), in the
// order the documents give them. A line that names the packages' file without runuser, or a
// timhost command without --config, fails the test before anything runs.
#include "support/HostProcess.h"
#include "support/SourceFiles.h"

#include <Poco/String.h>

#include <cppunit/extensions/HelperMacros.h>

#include <regex>
#include <set>
#include <sstream>
#include <vector>

using testing::HostProcess;

namespace {

const char* const kDocuments[] = {"README.md",
                                  "docs/admin-guide.md",
                                  "docs/operations.md",
                                  "docs/troubleshooting.md",
                                  "docs/reference.md",
                                  "docs/conformance.md",
                                  "docs/prometheus-tim-scim.yml",
                                  "docs/tim-scim-alerts.yml"};
const std::string kPackagedConfig = "/etc/tim/tim.properties";
const std::string kAsService = "runuser -u tim -- ";

struct DocumentedCommand {
    std::string where;  // "docs/admin-guide.md:151"
    std::string line;   // as printed, up to a comment, a redirection or the end of the span
};

// The alert's description is a template: its label stands for a real one.
std::string filled(std::string text) {
    return std::regex_replace(text, std::regex(R"(\{\{ \$labels\.label \}\})"), "entra");
}

std::vector<DocumentedCommand> documentedCommands() {
    // A command starts at runuser or timhost and ends at a backtick, a quote, a comment, a
    // redirection, a comma or the end of the line.
    const std::regex command(R"((?:runuser -u \S+ -- )?(?:\S*/)?timhost --[^`"#>,\n]*)");
    std::vector<DocumentedCommand> commands;
    for (const char* document : kDocuments) {
        std::istringstream lines(filled(testing::readSourceFile(document)));
        int number = 0;
        for (std::string line; std::getline(lines, line);) {
            ++number;
            for (std::sregex_iterator it(line.begin(), line.end(), command), end; it != end; ++it) {
                commands.push_back(
                    {std::string(document) + ":" + std::to_string(number), Poco::trim(it->str())});
            }
        }
    }
    return commands;
}

std::vector<std::string> words(const std::string& line) {
    std::istringstream in(line);
    std::vector<std::string> result;
    for (std::string word; in >> word;) {
        result.push_back(word);
    }
    return result;
}

// A line with an elision, an alternative or a placeholder other than JTI (which the test fills
// in) is a pattern, not a command to run.
bool isPattern(const std::string& line) {
    static const std::regex placeholder(R"(\b(?!JTI\b)[A-Z]{2,}\b)");
    return line.find("...") != std::string::npos || line.find('<') != std::string::npos ||
           line.find('[') != std::string::npos || line.find('|') != std::string::npos ||
           std::regex_search(line, placeholder);
}

}  // namespace

class DocsCommandsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(DocsCommandsTest);
    CPPUNIT_TEST(everyCommandNamesItsConfigurationAndAccount);
    CPPUNIT_TEST(everyCommandRunsAsPrinted);
    CPPUNIT_TEST_SUITE_END();

  public:
    void everyCommandNamesItsConfigurationAndAccount() {
        const auto commands = documentedCommands();
        CPPUNIT_ASSERT(commands.size() >= 20);  // the scan found the documents' commands
        for (const auto& c : commands) {
            CPPUNIT_ASSERT_MESSAGE(c.where + ": " + c.line,
                                   c.line.find("--config=") != std::string::npos);
            if (c.line.find("--config=" + kPackagedConfig) != std::string::npos) {
                CPPUNIT_ASSERT_MESSAGE(c.where + " runs as root: " + c.line,
                                       c.line.rfind(kAsService, 0) == 0);
            }
        }
    }

    void everyCommandRunsAsPrinted() {
        HostProcess host({"tim-scim"});
        std::string out;
        std::string err;
        std::size_t ran = 0;
        std::set<std::string> commandsRun;
        for (const auto& c : documentedCommands()) {
            if (isPattern(c.line) || c.line.find("--command=") == std::string::npos ||
                c.line.find("--config=" + kPackagedConfig) == std::string::npos) {
                continue;  // a pattern, the service itself (HostProcess starts it so), or a build
                           // tree's
            }
            std::string line = c.line.substr(kAsService.size());
            line.replace(line.find(kPackagedConfig), kPackagedConfig.size(), host.configFile());
            auto argv = words(line);
            CPPUNIT_ASSERT_EQUAL(std::string("timhost"), argv.front());
            argv.erase(argv.begin());
            for (auto& word : argv) {
                if (word == "JTI") {
                    word = newestJti(host);
                }
            }
            const int rc = host.run(argv, out, err);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.where + ": " + c.line + "\n" + out + err, 0, rc);
            commandsRun.insert(argv[1]);
            ++ran;
        }
        // Every documented kind ran at least once: the scan missed none of them.
        for (const char* name : {"--command=config.check", "--command=scim.token.generate",
                                 "--command=scim.token.list", "--command=scim.token.revoke",
                                 "--command=scim.token.rotate-key", "--command=scim.status",
                                 "--command=scim.audit", "--command=scim.setup-identities"}) {
            CPPUNIT_ASSERT_MESSAGE(name, commandsRun.count(name) == 1);
        }
        CPPUNIT_ASSERT(ran >= 15);
    }

  private:
    static std::string newestJti(const HostProcess& host) {
        std::string out;
        std::string err;
        CPPUNIT_ASSERT_EQUAL(0, host.runCommand("scim.token.list", {}, out, err));
        const auto lines = words(out.substr(out.rfind('\n', out.size() - 2) + 1));
        return lines.front();
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(DocsCommandsTest, "DocsCommandsTest");
