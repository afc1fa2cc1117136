// POST /Bulk (RFC 7644 §3.7) over HTTP through timhost, on SQLite and on the test MariaDB:
// bulkId references resolved in dependency order, cycles and unresolvable references 409,
// failOnErrors, versions, and every limit of a single request applied inside a bulk one.
#include "support/HostProcess.h"
#include "support/TestDatabases.h"

#include <Poco/JSON/Parser.h>
#include <Poco/Process.h>

#include <cppunit/extensions/HelperMacros.h>

#include <set>

using testing::HostProcess;

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Object::Ptr json(const std::string& text) {
    return Poco::JSON::Parser().parse(text).extract<Object::Ptr>();
}

std::string bulk(const std::string& operations, const std::string& extra = "") {
    return R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],)" + extra +
           R"("Operations":[)" + operations + "]}";
}

// The id at the end of an operation's location.
std::string idIn(const Object::Ptr& result) {
    const std::string location = result->getValue<std::string>("location");
    return location.substr(location.rfind('/') + 1);
}

}  // namespace

class BulkContract : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(BulkContract);
    CPPUNIT_TEST(operationsRunInDependencyOrder);
    CPPUNIT_TEST(unresolvableReferencesAre409AndWriteNothing);
    CPPUNIT_TEST(limitsApplyToTheRequestAndToEachOperation);
    CPPUNIT_TEST_SUITE_END_ABSTRACT();

  public:
    virtual std::map<std::string, std::string> databaseProperties() = 0;

    void setUp() override { start({}); }

    void tearDown() override {
        _scim.reset();
        _host.reset();
    }

    // A group that names users created later in the same request, a PATCH and a DELETE by
    // bulkId and by id, and a PUT whose version is stale.
    void operationsRunInDependencyOrder() {
        const auto kept = created("/Users", R"({"userName":"bulk-kept"})");
        const auto gone = created("/Users", R"({"userName":"bulk-gone"})");
        const auto results = send(bulk(
            R"({"method":"POST","path":"/Groups","bulkId":"team","data":{"displayName":"Team",)"
            R"("members":[{"value":"bulkId:ada"},{"value":"bulkId:bob"}]}},)"
            R"({"method":"POST","path":"/Users","bulkId":"ada","data":{"userName":"ada"}},)"
            R"({"method":"POST","path":"/Users","bulkId":"bob","data":{"userName":"bob",)"
            R"("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":)"
            R"({"manager":{"value":"bulkId:ada"}}}},)"
            R"({"method":"patch","path":"/Groups/bulkId:team","data":{"Operations":[)"
            R"({"op":"add","path":"members","value":[{"value":")" +
            kept +
            R"("}]}]}},)"
            R"({"method":"DELETE","path":"/Users/)" +
            gone +
            R"("},)"
            R"({"method":"PUT","path":"/Users/)" +
            kept + R"(","version":"W/\"999\"","data":{"userName":"bulk-kept"}})"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(6), results->size());
        const auto status = [&](unsigned i) {
            return results->getObject(i)->getValue<std::string>("status");
        };
        CPPUNIT_ASSERT_EQUAL(std::string("201"), status(0));
        CPPUNIT_ASSERT_EQUAL(std::string("team"),
                             results->getObject(0)->getValue<std::string>("bulkId"));
        CPPUNIT_ASSERT(results->getObject(0)->has("version"));
        CPPUNIT_ASSERT_EQUAL(std::string("201"), status(1));
        CPPUNIT_ASSERT_EQUAL(std::string("201"), status(2));
        CPPUNIT_ASSERT_EQUAL(std::string("204"), status(3));
        CPPUNIT_ASSERT_EQUAL(std::string("PATCH"),
                             results->getObject(3)->getValue<std::string>("method"));
        CPPUNIT_ASSERT_EQUAL(std::string("204"), status(4));
        CPPUNIT_ASSERT_EQUAL(std::string("412"), status(5));
        CPPUNIT_ASSERT(results->getObject(5)->getObject("response")->has("detail"));

        const std::string team = idIn(results->getObject(0));
        const std::string ada = idIn(results->getObject(1));
        const std::string bob = idIn(results->getObject(2));
        const auto members = json((*_scim)("GET", "/Groups/" + team).body)->getArray("members");
        std::set<std::string> ids;
        for (std::size_t i = 0; i < members->size(); ++i) {
            ids.insert(
                members->getObject(static_cast<unsigned>(i))->getValue<std::string>("value"));
        }
        CPPUNIT_ASSERT(ids == (std::set<std::string>{ada, bob, kept}));
        CPPUNIT_ASSERT_EQUAL(ada, json((*_scim)("GET", "/Users/" + bob).body)
                                      ->getObject("urn:ietf:params:scim:schemas:extension:"
                                                  "enterprise:2.0:User")
                                      ->getObject("manager")
                                      ->getValue<std::string>("value"));
        CPPUNIT_ASSERT_EQUAL(404, (*_scim)("GET", "/Users/" + gone).status);
    }

    void unresolvableReferencesAre409AndWriteNothing() {
        const auto results = send(bulk(
            // a cycle
            R"({"method":"POST","path":"/Groups","bulkId":"a","data":{"displayName":"Cycle A",)"
            R"("members":[{"value":"bulkId:b"}]}},)"
            R"({"method":"POST","path":"/Groups","bulkId":"b","data":{"displayName":"Cycle B",)"
            R"("members":[{"value":"bulkId:a"}]}},)"
            // a creation that fails, and one that needs it
            R"({"method":"POST","path":"/Users","bulkId":"bad","data":{"displayName":"no name"}},)"
            R"({"method":"POST","path":"/Groups","bulkId":"c","data":{"displayName":"Needs bad",)"
            R"("members":[{"value":"bulkId:bad"}]}},)"
            // a reference to nothing, and operations that are not ones
            R"({"method":"DELETE","path":"/Users/bulkId:nobody"},)"
            R"({"method":"GET","path":"/Users"},)"
            R"({"method":"POST","path":"/Bulk","bulkId":"x","data":{}},)"
            R"({"method":"POST","path":"/Users","data":{"userName":"no-bulk-id"}})"));
        const std::vector<std::string> expected{"409", "409", "400", "409",
                                                "409", "400", "400", "400"};
        CPPUNIT_ASSERT_EQUAL(expected.size(), results->size());
        for (unsigned i = 0; i < expected.size(); ++i) {
            const auto result = results->getObject(i);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(std::to_string(i), expected[i],
                                         result->getValue<std::string>("status"));
            CPPUNIT_ASSERT_EQUAL(expected[i],
                                 result->getObject("response")->getValue<std::string>("status"));
        }
        for (const char* name : {"Cycle+A", "Cycle+B", "Needs+bad"}) {
            CPPUNIT_ASSERT_EQUAL(
                0, json((*_scim)("GET",
                                 std::string("/Groups?filter=displayName+eq+%22") + name + "%22")
                            .body)
                       ->getValue<int>("totalResults"));
        }
        CPPUNIT_ASSERT_EQUAL(
            0, json((*_scim)("GET", "/Users?filter=userName+eq+%22no-bulk-id%22").body)
                   ->getValue<int>("totalResults"));
    }

    void limitsApplyToTheRequestAndToEachOperation() {
        start({{"scim.bulk.maxOperations", "3"},
               {"scim.bulk.maxPayloadBytes", "2048"},
               {"scim.limits.membersPerPatch", "2"}});
        const auto config = json((*_scim)("GET", "/ServiceProviderConfig").body)->getObject("bulk");
        CPPUNIT_ASSERT(config->getValue<bool>("supported"));
        CPPUNIT_ASSERT_EQUAL(3, config->getValue<int>("maxOperations"));
        CPPUNIT_ASSERT_EQUAL(2048, config->getValue<int>("maxPayloadSize"));
        const std::string one =
            R"({"method":"POST","path":"/Users","bulkId":"u","data":{"userName":"limit"}})";
        for (const auto& body : {bulk(one + "," + one + "," + one + "," + one),
                                 bulk(one, R"("padding":")" + std::string(2100, 'x') + "\",")}) {
            const auto refused = (*_scim)("POST", "/Bulk", body);
            CPPUNIT_ASSERT_EQUAL(413, refused.status);
            CPPUNIT_ASSERT_EQUAL(
                std::string("urn:ietf:params:scim:api:messages:2.0:Error"),
                json(refused.body)->getArray("schemas")->getElement<std::string>(0));
        }
        CPPUNIT_ASSERT_EQUAL(
            0, json((*_scim)("GET", "/Users?count=0").body)->getValue<int>("totalResults"));
        // failOnErrors: 1 stops after the first error; the rest do not run.
        const auto stopped =
            send(bulk(R"({"method":"POST","path":"/Users","bulkId":"x","data":{}},)" + one,
                      R"("failOnErrors":1,)"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), stopped->size());
        CPPUNIT_ASSERT_EQUAL(
            0, json((*_scim)("GET", "/Users?count=0").body)->getValue<int>("totalResults"));
        // A single request's limit holds inside: three members in one PATCH are too many.
        const auto group = created("/Groups", R"({"displayName":"Small"})");
        const auto tooMany =
            send(bulk(R"({"method":"PATCH","path":"/Groups/)" + group +
                      R"(","data":{"Operations":[{"op":"add","path":"members","value":[)"
                      R"({"value":"1"},{"value":"2"},{"value":"3"}]}]}})"));
        CPPUNIT_ASSERT_EQUAL(std::string("400"),
                             tooMany->getObject(0)->getValue<std::string>("status"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("tooMany"),
            tooMany->getObject(0)->getObject("response")->getValue<std::string>("scimType"));
        // (2^64 and above Poco 1.11's parser wraps around: 18446744073709551616 reads as 0.)
        for (const char* bad :
             {"-1", "1.5", "\"2\"", "true", "2147483648", "9223372036854775808"}) {
            const auto refused =
                (*_scim)("POST", "/Bulk", bulk("", std::string(R"("failOnErrors":)") + bad + ","));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(bad, 400, refused.status);
            CPPUNIT_ASSERT(refused.body.find("invalidValue") != std::string::npos);
        }
        CPPUNIT_ASSERT_EQUAL(
            200, (*_scim)("POST", "/Bulk", bulk("", R"("failOnErrors":2147483647,)")).status);
        CPPUNIT_ASSERT_EQUAL(405, (*_scim)("GET", "/Bulk").status);
    }

  private:
    void start(std::map<std::string, std::string> extra) {
        _scim.reset();
        auto properties = databaseProperties();
        properties.insert(extra.begin(), extra.end());
        _host = std::make_unique<HostProcess>(std::vector<std::string>{"tim-scim"}, properties);
        _host->start();
        _scim = std::make_unique<testing::ScimClient>(*_host);
    }

    std::string created(const std::string& collection, const std::string& body) {
        const auto result = (*_scim)("POST", collection, body);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(result.body, 201, result.status);
        return json(result.body)->getValue<std::string>("id");
    }

    // The Operations of the BulkResponse to `body`.
    Array::Ptr send(const std::string& body) {
        const auto result = (*_scim)("POST", "/Bulk", body);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(result.body, 200, result.status);
        const auto response = json(result.body);
        CPPUNIT_ASSERT_EQUAL(std::string("urn:ietf:params:scim:api:messages:2.0:BulkResponse"),
                             response->getArray("schemas")->getElement<std::string>(0));
        return response->getArray("Operations");
    }

    std::unique_ptr<HostProcess> _host;
    std::unique_ptr<testing::ScimClient> _scim;
};

class BulkSQLiteTest : public BulkContract {
    CPPUNIT_TEST_SUB_SUITE(BulkSQLiteTest, BulkContract);
    CPPUNIT_TEST_SUITE_END();

  public:
    std::map<std::string, std::string> databaseProperties() override { return {}; }
};

class BulkMariaDBTest : public BulkContract {
    CPPUNIT_TEST_SUB_SUITE(BulkMariaDBTest, BulkContract);
    CPPUNIT_TEST_SUITE_END();

  public:
    std::map<std::string, std::string> databaseProperties() override {
        const auto server = testing::MariaDBServer::fromEnvironment();
        return server.hostProperties(
            server.freshDatabase("tim_e2e_bulk_" + std::to_string(Poco::Process::id())));
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(BulkSQLiteTest, "BulkSQLiteTest");
CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(BulkMariaDBTest, "BulkMariaDBTest");
