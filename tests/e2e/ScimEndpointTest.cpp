// The real plugin in timhost over HTTP, on SQLite and on the test MariaDB.
#include "support/HostProcess.h"
#include "support/TestDatabases.h"

#include <Poco/JSON/Parser.h>
#include <Poco/Process.h>

#include <cppunit/extensions/HelperMacros.h>

using testing::HostProcess;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

Poco::JSON::Object::Ptr json(const std::string& text) {
    return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

}  // namespace

class ScimEndpointContract : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ScimEndpointContract);
    CPPUNIT_TEST(serviceProviderConfigIsServedAsScimJson);
    CPPUNIT_TEST(unknownResourceBelowTheBaseIsAScim404);
    CPPUNIT_TEST(pathsBesideTheBaseNeverReachThePlugin);
    CPPUNIT_TEST(unreachableDatabaseStopsTheHostWithAClearMessage);
    CPPUNIT_TEST_SUITE_END_ABSTRACT();

  public:
    virtual std::map<std::string, std::string> databaseProperties() = 0;
    virtual std::map<std::string, std::string> unreachableDatabaseProperties() = 0;

    void serviceProviderConfigIsServedAsScimJson() {
        HostProcess host({"tim-scim"}, databaseProperties());
        host.start();
        const std::string token = host.generateToken();
        for (const char* path :
             {"/tim/api/scim/ServiceProviderConfig", "/tim/api/scim/v2/ServiceProviderConfig"}) {
            const auto result = host.request(
                "GET", path, "",
                {{"Accept", "application/scim+json"}, {"Authorization", "Bearer " + token}});
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path, 200, result.status);
            CPPUNIT_ASSERT_EQUAL(std::string("application/scim+json"),
                                 result.header("content-type"));
            const auto doc = json(result.body);
            CPPUNIT_ASSERT_EQUAL(
                std::string("urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"),
                doc->getArray("schemas")->getElement<std::string>(0));
            CPPUNIT_ASSERT_EQUAL(std::string("http://127.0.0.1:") + std::to_string(host.port()) +
                                     "/tim/api/scim/ServiceProviderConfig",
                                 doc->getObject("meta")->getValue<std::string>("location"));
        }
        CPPUNIT_ASSERT_EQUAL(0, host.stop());
    }

    void unknownResourceBelowTheBaseIsAScim404() {
        HostProcess host({"tim-scim"}, databaseProperties());
        host.start();
        const std::map<std::string, std::string> auth = {
            {"Authorization", "Bearer " + host.generateToken()}};
        const auto result = host.request("GET", "/tim/api/scim/NoSuchThing", "", auth);
        CPPUNIT_ASSERT_EQUAL(404, result.status);
        CPPUNIT_ASSERT_EQUAL(std::string("application/scim+json"), result.header("content-type"));
        CPPUNIT_ASSERT_EQUAL(std::string("404"),
                             json(result.body)->getValue<std::string>("status"));
        CPPUNIT_ASSERT_EQUAL(
            405, host.request("DELETE", "/tim/api/scim/ServiceProviderConfig", "", auth).status);
    }

    void pathsBesideTheBaseNeverReachThePlugin() {
        HostProcess host({"tim-scim"}, databaseProperties());
        host.start();
        const auto result = host.request("GET", "/tim/api/scimx/ServiceProviderConfig");
        CPPUNIT_ASSERT_EQUAL(404, result.status);
        // The host answered (application/json), not the plugin (application/scim+json).
        CPPUNIT_ASSERT_EQUAL(std::string("application/json"), result.header("content-type"));
    }

    void unreachableDatabaseStopsTheHostWithAClearMessage() {
        HostProcess host({"tim-scim"}, unreachableDatabaseProperties());
        CPPUNIT_ASSERT_THROW(host.start(), Poco::IllegalStateException);
        CPPUNIT_ASSERT(host.waitForExit() != 0);
        const std::string log = host.log();
        CPPUNIT_ASSERT_MESSAGE(log, contains(log, "plugin tim-scim 0.1.0 failed to start: "));
        CPPUNIT_ASSERT_MESSAGE(log, contains(log, "cannot open database"));
        CPPUNIT_ASSERT_MESSAGE(log, !contains(log, "s3cret-never-logged"));
        CPPUNIT_ASSERT_MESSAGE(log, !contains(log, "Segmentation"));
    }
};

class ScimEndpointSQLiteTest : public ScimEndpointContract {
    CPPUNIT_TEST_SUB_SUITE(ScimEndpointSQLiteTest, ScimEndpointContract);
    CPPUNIT_TEST_SUITE_END();

  public:
    std::map<std::string, std::string> databaseProperties() override {
        return {{"scim.db.connector", "sqlite"}};
    }
    std::map<std::string, std::string> unreachableDatabaseProperties() override {
        return {{"scim.db.connector", "sqlite"},
                {"scim.db.file", "/nonexistent-dir/tim-scim.db"},
                {"scim.db.password", "s3cret-never-logged"}};
    }
};

class ScimEndpointMariaDBTest : public ScimEndpointContract {
    CPPUNIT_TEST_SUB_SUITE(ScimEndpointMariaDBTest, ScimEndpointContract);
    CPPUNIT_TEST_SUITE_END();

  public:
    std::map<std::string, std::string> databaseProperties() override {
        const auto server = testing::MariaDBServer::fromEnvironment();
        return server.hostProperties(
            server.freshDatabase("tim_e2e_" + std::to_string(Poco::Process::id())));
    }
    std::map<std::string, std::string> unreachableDatabaseProperties() override {
        auto properties = databaseProperties();
        properties["scim.db.port"] = "1";
        properties["scim.db.password"] = "s3cret-never-logged";
        return properties;
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(ScimEndpointSQLiteTest, "ScimEndpointSQLiteTest");
CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(ScimEndpointMariaDBTest, "ScimEndpointMariaDBTest");
