// manifest.json as the host reads it: the repository's own, and broken ones.
#include "PluginManifest.h"

#include <tim/plugin_api.h>

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/Path.h>
#include <Poco/TemporaryFile.h>

#include <cppunit/extensions/HelperMacros.h>

class ManifestTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ManifestTest);
    CPPUNIT_TEST(readsTheRepositoryManifest);
    CPPUNIT_TEST(rejectsBrokenManifests);
    CPPUNIT_TEST_SUITE_END();

  public:
    void readsTheRepositoryManifest() {
        const auto m =
            timhost::PluginManifest::load(std::string(TIM_SOURCE_DIR) + "/manifest.json");
        CPPUNIT_ASSERT_EQUAL(std::string("tim-scim"), m.name);
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(TIM_PLUGIN_ABI_MAJOR), m.abiMajor);
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(TIM_PLUGIN_ABI_MINOR), m.abiMinor);
        CPPUNIT_ASSERT_EQUAL(std::string(TIM_SOURCE_DIR) + "/libtim-scim.so", m.libraryPath);
        CPPUNIT_ASSERT_EQUAL(std::string("tim_plugin_init"), m.initSymbol);
        CPPUNIT_ASSERT_EQUAL(std::string("tim_plugin_shutdown"), m.shutdownSymbol);
    }

    void rejectsBrokenManifests() {
        const char* broken[] = {
            "not json",
            "[]",
            R"({"version":"1","abi":{"major":1,"minor":0},"library":"x.so"})",
            R"({"name":"x","version":"1","library":"x.so"})",
            R"({"name":"x","version":"1","abi":{"major":"1","minor":0},"library":"x.so"})",
            R"({"name":"x","version":"1","abi":{"major":1,"minor":0},"library":"../x.so"})",
            R"({"name":"x","version":"1","abi":{"major":1,"minor":0},"library":"/lib/x.so"})",
            R"({"name":"x","version":"1","abi":{"major":-1,"minor":0},"library":"x.so"})",
        };
        for (const char* text : broken) {
            Poco::TemporaryFile file;
            {
                Poco::FileOutputStream out(file.path());
                out << text;
            }
            CPPUNIT_ASSERT_THROW_MESSAGE(text, timhost::PluginManifest::load(file.path()),
                                         Poco::DataFormatException);
        }
        CPPUNIT_ASSERT_THROW(timhost::PluginManifest::load("/nonexistent/manifest.json"),
                             Poco::DataFormatException);
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(ManifestTest, "ManifestTest");
