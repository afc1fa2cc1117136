// The admin commands have one table (app/AdminCommands.cpp): manifest.json, which a host reads
// before it loads the plugin, and the README's command list must say the same.
#include "app/PluginCore.h"
#include "support/SourceFiles.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cppunit/extensions/HelperMacros.h>

#include <string>

class AdminCommandsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(AdminCommandsTest);
    CPPUNIT_TEST(theManifestListsTheTable);
    CPPUNIT_TEST(theReadmeListsEveryCommand);
    CPPUNIT_TEST_SUITE_END();

  public:
    void theManifestListsTheTable() {
        const auto manifest = Poco::JSON::Parser()
                                  .parse(testing::readSourceFile("manifest.json"))
                                  .extract<Poco::JSON::Object::Ptr>();
        const auto listed = manifest->getArray("commands");
        const auto table = app::PluginCore::commands();
        CPPUNIT_ASSERT_EQUAL(table.size(), listed->size());
        for (std::size_t i = 0; i < table.size(); ++i) {
            const auto entry = listed->getObject(static_cast<unsigned>(i));
            CPPUNIT_ASSERT_EQUAL(table[i].name, entry->getValue<std::string>("name"));
            CPPUNIT_ASSERT_EQUAL(table[i].description, entry->getValue<std::string>("description"));
        }
    }

    void theReadmeListsEveryCommand() {
        const std::string readme = testing::readSourceFile("README.md");
        for (const auto& command : app::PluginCore::commands()) {
            CPPUNIT_ASSERT_MESSAGE(command.name,
                                   readme.find("| `" + command.name + "` |") != std::string::npos);
        }
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(AdminCommandsTest, "AdminCommandsTest");
