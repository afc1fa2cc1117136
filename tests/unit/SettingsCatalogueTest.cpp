// The plugin's tim.properties keys live in manifest.json; the catalogue generated from it must
// carry them all, docs/reference.md and docs/tim.properties.example must say the same, and bad
// values name their key.
#include "HostSettings.h"
#include "app/Configuration.h"
#include "support/SourceFiles.h"
#include "tim/Settings.h"

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Util/MapConfiguration.h>
#include <Poco/Util/PropertyFileConfiguration.h>

#include <cppunit/extensions/HelperMacros.h>

#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <utility>
#include <vector>

namespace {

// The keys the host reads: HostSettings::keys(), which must name every key literal of the
// host's source (the list the unknown-key check trusts).
std::set<std::string> hostKeys() {
    const std::regex key(R"re("((?:http|plugin|data|log)\.[A-Za-z.]+)")re");
    std::set<std::string> literals;
    for (const char* file : {"HostSettings.cpp", "HostApplication.cpp"}) {
        const std::string source = testing::readSourceFile(std::string("src/host/") + file);
        for (std::sregex_iterator it(source.begin(), source.end(), key), end; it != end; ++it) {
            literals.insert((*it)[1]);
        }
    }
    CPPUNIT_ASSERT(literals.size() >= 14);  // the scan found the host's keys
    const auto& keys = timhost::HostSettings::keys();
    for (const auto& literal : literals) {
        CPPUNIT_ASSERT_MESSAGE("HostSettings::keys() lacks " + literal, keys.count(literal) != 0);
    }
    return keys;
}

// The default docs/reference.md gives `key` ("| `key` | `default` |" or "| `key` | |").
std::string referenceDefault(const std::string& reference, const std::string& key) {
    const std::regex row("\\| `" + std::regex_replace(key, std::regex("\\."), "\\.") +
                         "` \\| (?:`([^`]*)`)? *\\|");
    std::smatch found;
    CPPUNIT_ASSERT_MESSAGE("docs/reference.md lacks " + key,
                           std::regex_search(reference, found, row));
    return found[1];
}

// docs/tim.properties.example's settings by key: "key = value", or "#key = value" for the
// defaults that depend on where timhost is installed (active: false).
struct ExampleSetting {
    std::string value;
    bool active;
};

std::map<std::string, ExampleSetting> exampleSettings() {
    std::istringstream in(testing::readSourceFile("docs/tim.properties.example"));
    const std::regex setting(R"re(^(#?)([A-Za-z][A-Za-z0-9.-]*) = ?(.*)$)re");
    std::map<std::string, ExampleSetting> settings;
    std::smatch found;
    for (std::string line; std::getline(in, line);) {
        if (std::regex_match(line, found, setting)) {
            CPPUNIT_ASSERT_MESSAGE(
                "twice in the example: " + found[2].str(),
                settings.emplace(found[2], ExampleSetting{found[3], found[1] == ""}).second);
        }
    }
    return settings;
}

}  // namespace

class SettingsCatalogueTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SettingsCatalogueTest);
    CPPUNIT_TEST(manifestListsExactlyTheCatalogue);
    CPPUNIT_TEST(theReferenceDocumentsEveryKeyWithItsDefault);
    CPPUNIT_TEST(theReferenceDocumentsEveryKeyTheHostReads);
    CPPUNIT_TEST(theExampleSetsEveryKeyToItsDefault);
    CPPUNIT_TEST(theExampleIsAConfigurationOfTheDefaults);
    CPPUNIT_TEST(defaultsApplyWhenKeysAreMissing);
    CPPUNIT_TEST(badValuesNameTheirKey);
    CPPUNIT_TEST(uncataloguedKeysCannotBeRead);
    CPPUNIT_TEST_SUITE_END();

  public:
    void manifestListsExactlyTheCatalogue() {
        const auto manifest = Poco::JSON::Parser()
                                  .parse(testing::readSourceFile("manifest.json"))
                                  .extract<Poco::JSON::Object::Ptr>();
        const auto properties = manifest->getArray("properties");
        std::map<std::string, std::pair<std::string, std::string>> listed;
        for (std::size_t i = 0; i < properties->size(); ++i) {
            const auto p = properties->getObject(static_cast<unsigned>(i));
            listed[p->getValue<std::string>("key")] = {p->getValue<std::string>("default"),
                                                       p->getValue<std::string>("description")};
        }
        const auto& catalogue = tim::settingDefinitions();
        CPPUNIT_ASSERT_EQUAL(catalogue.size(), listed.size());
        for (const auto& d : catalogue) {
            const auto it = listed.find(d.key);
            CPPUNIT_ASSERT_MESSAGE(std::string("manifest.json lacks ") + d.key, it != listed.end());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(d.key, std::string(d.defaultValue), it->second.first);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(d.key, std::string(d.description), it->second.second);
        }
    }

    void theReferenceDocumentsEveryKeyWithItsDefault() {
        const std::string readme = testing::readSourceFile("docs/reference.md");
        for (const auto& d : tim::settingDefinitions()) {
            const std::string row = std::string("| `") + d.key + "` | `" + d.defaultValue + "` |";
            CPPUNIT_ASSERT_MESSAGE("docs/reference.md lacks the row " + row,
                                   readme.find(row) != std::string::npos);
        }
    }

    // The host reads its keys directly from its configuration: each key literal in its source
    // must have a row in the reference.
    void theReferenceDocumentsEveryKeyTheHostReads() {
        const std::string reference = testing::readSourceFile("docs/reference.md");
        for (const auto& name : hostKeys()) {
            CPPUNIT_ASSERT_MESSAGE("docs/reference.md lacks " + name,
                                   reference.find("| `" + name + "` |") != std::string::npos);
        }
    }

    void theExampleSetsEveryKeyToItsDefault() {
        const auto example = exampleSettings();
        const auto host = hostKeys();
        const std::string reference = testing::readSourceFile("docs/reference.md");
        std::set<std::string> known = host;
        for (const auto& d : tim::settingDefinitions()) {
            known.insert(d.key);
            if (host.count(d.key) != 0) {
                continue;  // data.dir: the host's, with the host's default
            }
            const auto it = example.find(d.key);
            CPPUNIT_ASSERT_MESSAGE(std::string("the example lacks ") + d.key, it != example.end());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(d.key, std::string(d.defaultValue), it->second.value);
            CPPUNIT_ASSERT_MESSAGE(d.key, it->second.active);
        }
        for (const auto& key : host) {
            const auto it = example.find(key);
            CPPUNIT_ASSERT_MESSAGE("the example lacks " + key, it != example.end());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(key, referenceDefault(reference, key), it->second.value);
        }
        for (const auto& setting : example) {
            CPPUNIT_ASSERT_MESSAGE("nothing reads " + setting.first,
                                   known.count(setting.first) != 0);
        }
    }

    // Loaded as it is, the example gives the host the settings of an empty configuration, and
    // the plugin accepts every value.
    void theExampleIsAConfigurationOfTheDefaults() {
        std::istringstream text(testing::readSourceFile("docs/tim.properties.example"));
        Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> example(
            new Poco::Util::PropertyFileConfiguration(text));
        Poco::AutoPtr<Poco::Util::MapConfiguration> empty(new Poco::Util::MapConfiguration);
        CPPUNIT_ASSERT(timhost::HostSettings::read(*example) ==
                       timhost::HostSettings::read(*empty));
        example->setString("data.dir", "/var/lib/tim");
        const tim::Settings settings(*example);
        CPPUNIT_ASSERT_EQUAL(std::string("/var/lib/tim/tim-scim.db"),
                             app::readDatabaseConfig(settings).file);
        app::readServiceSettings(settings);
        app::readTokenPolicy(settings);
        app::readRequestLimits(settings);
        app::readPurgePolicy(settings);
        app::readDeletedRetention(settings);
        app::readPurgeIntervalMs(settings);
    }

    void defaultsApplyWhenKeysAreMissing() {
        Poco::AutoPtr<Poco::Util::MapConfiguration> config(new Poco::Util::MapConfiguration);
        config->setString("data.dir", "/var/lib/tim");
        const tim::Settings settings(*config);
        const auto db = app::readDatabaseConfig(settings);
        CPPUNIT_ASSERT(db.engine == store::Engine::SQLite);
        CPPUNIT_ASSERT_EQUAL(std::string("/var/lib/tim/tim-scim.db"), db.file);
        CPPUNIT_ASSERT_EQUAL(32, db.poolMax);
        CPPUNIT_ASSERT_EQUAL(1000, db.poolWaitMs);
        CPPUNIT_ASSERT_EQUAL(0, db.groupCommitMaxWrites);  // "auto": the engine's choice
        CPPUNIT_ASSERT_EQUAL(5, db.lockWaitSeconds);
        CPPUNIT_ASSERT_EQUAL(30, db.timeoutSeconds);
        const auto service = app::readServiceSettings(settings);
        CPPUNIT_ASSERT_EQUAL(std::string("/tim/api/scim"), service.basePath);
        CPPUNIT_ASSERT_EQUAL(200, service.capabilities.filterMaxResults);
        const auto tokens = app::readTokenPolicy(settings);
        CPPUNIT_ASSERT_EQUAL(std::string("1y"), tokens.lifetime.text());
        CPPUNIT_ASSERT_EQUAL(std::string("HS256"), tokens.algorithm);
        CPPUNIT_ASSERT_EQUAL(std::string("sys.scim"), tokens.subject);
        CPPUNIT_ASSERT_EQUAL(60, tokens.clockSkew.totalSeconds());
    }

    void badValuesNameTheirKey() {
        // A list, not a map: one key may have several bad values.
        const std::vector<std::pair<std::string, std::string>> bad = {
            {"scim.db.connector", "oracle"},
            {"scim.db.port", "http"},
            {"scim.db.port", "70000"},
            {"scim.db.pool.max", "0"},
            {"scim.db.groupCommit.maxWrites", "0"},
            {"scim.db.groupCommit.maxWrites", "all"},
            {"scim.db.lockWaitSeconds", "0"},
            {"scim.db.timeoutSeconds", "5"},  // must exceed the lock wait (default 5)
            {"scim.basePath", "relative/path"},
            {"scim.basePath", "/"},
            {"scim.maxResults", "-1"},
            {"jwtAccessTokenExpirationTimeScim", "1h"},
            {"scim.token.clockSkewSeconds", "soon"},
            {"scim.token.issuer", ""},
        };
        for (const auto& entry : bad) {
            Poco::AutoPtr<Poco::Util::MapConfiguration> config(new Poco::Util::MapConfiguration);
            config->setString(entry.first, entry.second);
            const tim::Settings settings(*config);
            try {
                app::readDatabaseConfig(settings);
                app::readServiceSettings(settings);
                app::readTokenPolicy(settings);
                CPPUNIT_FAIL(entry.first + "=" + entry.second + " was accepted");
            } catch (const Poco::InvalidArgumentException& e) {
                CPPUNIT_ASSERT_MESSAGE(e.message(),
                                       e.message().find(entry.first) != std::string::npos);
            }
        }
    }

    void uncataloguedKeysCannotBeRead() {
        Poco::AutoPtr<Poco::Util::MapConfiguration> config(new Poco::Util::MapConfiguration);
        CPPUNIT_ASSERT_THROW(tim::Settings(*config).string("scim.undeclared"),
                             Poco::NotFoundException);
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(SettingsCatalogueTest, "SettingsCatalogueTest");
