// What clients beyond Entra check against the RFC's words (issue 31), each rule quoted where it
// is tested. Over HTTP through timhost, on SQLite and on the test MariaDB.
#include "support/AccountFixture.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <sstream>

#include <cppunit/extensions/HelperMacros.h>

using testing::idOf;
using testing::jsonObject;

class ConformanceContract : public CppUnit::TestFixture, public testing::AccountFixture {
    CPPUNIT_TEST_SUITE(ConformanceContract);
    CPPUNIT_TEST(readOnlyValuesThatChangeNothingAreIgnored);
    CPPUNIT_TEST(schemasIsFilterable);
    CPPUNIT_TEST(booleansHaveNoOrder);
    CPPUNIT_TEST(failOnErrorsZeroStopsAtTheFirstError);
    CPPUNIT_TEST(meIsNotImplemented);
    CPPUNIT_TEST(rootSearchQueriesEveryResourceType);
    CPPUNIT_TEST(acceptChoosesTheMediaType);
    CPPUNIT_TEST(discoveryRefusesFilters);
    CPPUNIT_TEST(discoveryDescribesWhatIsServed);
    CPPUNIT_TEST_SUITE_END_ABSTRACT();

  public:
    void setUp() override { startHost({}); }
    void tearDown() override { _host.reset(); }

    // RFC 7644 §3.5.2: a readOnly attribute in a PATCH value is ignored when it equals the
    // current value, "mutability" when it differs; Okta renames a group with its own id in the
    // value. RFC 7644 §3.5.1 (PUT): "readOnly: Any values provided SHALL be ignored."
    void readOnlyValuesThatChangeNothingAreIgnored() {
        const std::string group =
            idOf(request("POST", "/Groups", R"({"displayName":"Okta Team"})"));
        const auto renamed = request(
            "PATCH", "/Groups/" + group,
            R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"id":")" +
                group + R"(","displayName":"Okta Team Renamed"}}]})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(renamed.body, 204, renamed.status);
        CPPUNIT_ASSERT_EQUAL(std::string("Okta Team Renamed"),
                             jsonObject(request("GET", "/Groups/" + group).body)
                                 ->getValue<std::string>("displayName"));
        const auto otherId = request(
            "PATCH", "/Groups/" + group,
            R"({"Operations":[{"op":"replace","value":{"id":"another","displayName":"X"}}]})");
        CPPUNIT_ASSERT_EQUAL(400, otherId.status);
        CPPUNIT_ASSERT_EQUAL(std::string("mutability"),
                             jsonObject(otherId.body)->getValue<std::string>("scimType"));
        const std::string user = idOf(request("POST", "/Users", R"({"userName":"okta.user"})"));
        CPPUNIT_ASSERT_EQUAL(200, request("PATCH", "/Users/" + user,
                                          R"({"Operations":[{"op":"replace","value":{"id":")" +
                                              user + R"(","title":"Lead"}}]})")
                                      .status);
        CPPUNIT_ASSERT_EQUAL(400,
                             request("PATCH", "/Users/" + user,
                                     R"({"Operations":[{"op":"replace","path":"id","value":"x"}]})")
                                 .status);
        // meta as the client read it (whole, or a part) changes nothing; another meta does.
        const auto read = jsonObject(request("GET", "/Users/" + user).body);
        Poco::JSON::Object::Ptr value = new Poco::JSON::Object;
        value->set("meta", read->getObject("meta"));
        value->set("schemas", read->getArray("schemas"));
        value->set("title", "Head");
        Poco::JSON::Object::Ptr op = new Poco::JSON::Object;
        op->set("op", "replace");
        op->set("value", value);
        Poco::JSON::Array::Ptr ops = new Poco::JSON::Array;
        ops->add(op);
        Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
        body->set("Operations", ops);
        std::ostringstream text;
        body->stringify(text);
        const auto withMeta = request("PATCH", "/Users/" + user, text.str());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(withMeta.body, 200, withMeta.status);
        CPPUNIT_ASSERT_EQUAL(std::string("Head"),
                             jsonObject(withMeta.body)->getValue<std::string>("title"));
        CPPUNIT_ASSERT_EQUAL(
            200,
            request(
                "PATCH", "/Users/" + user,
                R"({"Operations":[{"op":"replace","path":"meta.resourceType","value":"User"}]})")
                .status);
        const auto otherMeta = request(
            "PATCH", "/Users/" + user,
            R"({"Operations":[{"op":"replace","value":{"meta":{"created":"2001-01-01T00:00:00Z"}}}]})");
        CPPUNIT_ASSERT_EQUAL(400, otherMeta.status);
        CPPUNIT_ASSERT_EQUAL(std::string("mutability"),
                             jsonObject(otherMeta.body)->getValue<std::string>("scimType"));
        const auto put = request(
            "PUT", "/Users/" + user,
            R"({"id":"not-this","meta":{"resourceType":"User","created":"2001-01-01T00:00:00Z"},"userName":"okta.user","title":"Chief"})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(put.body, 200, put.status);
        CPPUNIT_ASSERT_EQUAL(user, idOf(put));
        CPPUNIT_ASSERT_EQUAL(std::string("Chief"),
                             jsonObject(put.body)->getValue<std::string>("title"));
    }

    // RFC 7644 §3.4.2.2 gives it as an example: filter=schemas eq
    // "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"; a multi-valued attribute
    // matches when any of its values does.
    void schemasIsFilterable() {
        CPPUNIT_ASSERT_EQUAL(201, request("POST", "/Users", R"({"userName":"plain"})").status);
        CPPUNIT_ASSERT_EQUAL(
            201,
            request(
                "POST", "/Users",
                R"({"userName":"employee","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"7"}})")
                .status);
        CPPUNIT_ASSERT_EQUAL(201,
                             request("POST", "/Groups", R"({"displayName":"everyone"})").status);
        const std::string enterprise =
            "%22urn:ietf:params:scim:schemas:extension:enterprise:2.0:User%22";
        CPPUNIT_ASSERT_EQUAL(1, total("/Users?filter=schemas%20eq%20" + enterprise));
        CPPUNIT_ASSERT_EQUAL(1, total("/Users?filter=schemas%20eq%20" + enterprise +
                                      "%20and%20userName%20eq%20%22employee%22"));
        CPPUNIT_ASSERT_EQUAL(2, total("/Users?filter=schemas%20pr"));
        CPPUNIT_ASSERT_EQUAL(1, total("/Users?filter=not%20(schemas%20eq%20" + enterprise + ")"));
        CPPUNIT_ASSERT_EQUAL(
            1,
            total(
                "/Groups?filter=schemas%20eq%20%22urn:ietf:params:scim:schemas:core:2.0:Group%22"));
        CPPUNIT_ASSERT_EQUAL(0, total("/Groups?filter=schemas%20eq%20" + enterprise));
    }

    // RFC 7644 §3.4.2.2: "gt ... ge ... lt ... le ... Boolean and Binary attributes SHALL
    // cause a failed response (i.e., HTTP status code 400) with "scimType" of
    // "invalidFilter"."
    void booleansHaveNoOrder() {
        CPPUNIT_ASSERT_EQUAL(201, request("POST", "/Users", R"({"userName":"on"})").status);
        for (const std::string filter :
             {"active%20gt%20true", "active%20ge%20false", "active%20lt%20true",
              "active%20le%20true", "emails%5Bprimary%20gt%20false%5D",
              "userName%20eq%20%22on%22%20and%20active%20ge%20true"}) {
            const auto refused = request("GET", "/Users?filter=" + filter);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(filter, 400, refused.status);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(
                filter, std::string("invalidFilter"),
                jsonObject(refused.body)->getValue<std::string>("scimType"));
        }
        const auto search = request("POST", "/Users/.search", R"({"filter":"active gt false"})");
        CPPUNIT_ASSERT_EQUAL(400, search.status);
        CPPUNIT_ASSERT_EQUAL(1, total("/Users?filter=active%20eq%20true"));
        CPPUNIT_ASSERT_EQUAL(1, total("/Users?filter=userName%20gt%20%22a%22"));  // strings order
    }

    // RFC 7644 §3.7: "failOnErrors: An integer specifying the number of errors that the
    // service provider will accept before the operation is terminated": no lower bound, so 0
    // is accepted and, as 1, stops at the first error.
    void failOnErrorsZeroStopsAtTheFirstError() {
        const auto bulk = request(
            "POST", "/Bulk",
            R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"failOnErrors":0,"Operations":[)"
            R"({"method":"POST","path":"/Users","bulkId":"a","data":{"userName":"first"}},)"
            R"({"method":"POST","path":"/Users","bulkId":"b","data":{"userName":"FIRST"}},)"
            R"({"method":"POST","path":"/Users","bulkId":"c","data":{"userName":"never"}}]})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(bulk.body, 200, bulk.status);
        const auto results = jsonObject(bulk.body)->getArray("Operations");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), results->size());
        CPPUNIT_ASSERT_EQUAL(std::string("409"),
                             results->getObject(1)->getValue<std::string>("status"));
        CPPUNIT_ASSERT_EQUAL(0, total("/Users?filter=userName%20eq%20%22never%22"));
    }

    // RFC 7644 §3.11: "If the service provider does not support the /Me authentication
    // subject alias, it SHALL return HTTP status code 501 (Not Implemented)."
    void meIsNotImplemented() {
        for (const char* method : {"GET", "POST", "PUT", "PATCH", "DELETE"}) {
            const auto answer = request(method, "/Me", method[0] == 'P' ? "{}" : "");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(method, 501, answer.status);
            CPPUNIT_ASSERT_EQUAL(std::string("501"),
                                 jsonObject(answer.body)->getValue<std::string>("status"));
        }
        CPPUNIT_ASSERT_EQUAL(501, request("GET", "/v2/Me").status);
        CPPUNIT_ASSERT(_host->log().find(" Error plugin") == std::string::npos);  // no defect
    }

    // RFC 7644 §3.4.3: "To query all resources, a POST is made to ... the server root
    // ("/.search")"; results of several types, each with meta.resourceType, paged together.
    void rootSearchQueriesEveryResourceType() {
        CPPUNIT_ASSERT_EQUAL(201, request("POST", "/Users", R"({"userName":"u1"})").status);
        CPPUNIT_ASSERT_EQUAL(201, request("POST", "/Users", R"({"userName":"u2"})").status);
        CPPUNIT_ASSERT_EQUAL(201, request("POST", "/Groups", R"({"displayName":"team"})").status);
        const auto search = [&](const std::string& body) {
            const auto found = request("POST", "/.search", body);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(body + found.body, 200, found.status);
            return jsonObject(found.body);
        };
        const auto typesOf = [](const Poco::JSON::Object::Ptr& page) {
            std::string types;
            const auto resources = page->getArray("Resources");
            for (std::size_t i = 0; resources && i < resources->size(); ++i) {
                types += resources->getObject(static_cast<unsigned>(i))
                             ->getObject("meta")
                             ->getValue<std::string>("resourceType") +
                         ",";
            }
            return types;
        };
        const auto all =
            search(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"]})");
        CPPUNIT_ASSERT_EQUAL(3, all->getValue<int>("totalResults"));
        CPPUNIT_ASSERT_EQUAL(std::string("User,User,Group,"), typesOf(all));
        CPPUNIT_ASSERT_EQUAL(std::string("Group,"),
                             typesOf(search(R"({"filter":"meta.resourceType eq \"Group\""})")));
        // An attribute only users have: groups cannot match it.
        const auto byName = search(R"({"filter":"userName eq \"U1\""})");
        CPPUNIT_ASSERT_EQUAL(1, byName->getValue<int>("totalResults"));
        // Paged across both types.
        const auto page = search(R"({"startIndex":2,"count":2})");
        CPPUNIT_ASSERT_EQUAL(3, page->getValue<int>("totalResults"));
        CPPUNIT_ASSERT_EQUAL(2, page->getValue<int>("startIndex"));
        CPPUNIT_ASSERT_EQUAL(std::string("User,Group,"), typesOf(page));
        CPPUNIT_ASSERT_EQUAL(std::string(""), typesOf(search(R"({"count":0})")));
        CPPUNIT_ASSERT_EQUAL(std::string("Group,"), typesOf(search(R"({"startIndex":3})")));
        // A filter no type defines, a cursor, a GET.
        const auto unknown = request("POST", "/.search", R"({"filter":"nosuch eq 1"})");
        CPPUNIT_ASSERT_EQUAL(400, unknown.status);
        CPPUNIT_ASSERT_EQUAL(std::string("invalidFilter"),
                             jsonObject(unknown.body)->getValue<std::string>("scimType"));
        CPPUNIT_ASSERT_EQUAL(400, request("POST", "/.search", R"({"cursor":""})").status);
        CPPUNIT_ASSERT_EQUAL(405, request("GET", "/.search").status);
    }

    // RFC 7644 §3.8: "Service providers MUST support the Accept header "Accept:
    // application/scim+json" and SHOULD support the header "Accept: application/json""; OneLogin
    // needs Content-Type: application/json on every response, errors included.
    void acceptChoosesTheMediaType() {
        const auto as = [&](const std::string& method, const std::string& path,
                            const std::string& accept, const std::string& body = "") {
            std::map<std::string, std::string> headers{{"Authorization", token()},
                                                       {"Accept", accept}};
            if (!body.empty()) {
                headers["Content-Type"] = "application/json";
            }
            return _host->request(method, "/tim/api/scim" + path, body, headers);
        };
        const auto created = as("POST", "/Users", "application/json", R"({"userName":"one"})");
        CPPUNIT_ASSERT_EQUAL(201, created.status);
        CPPUNIT_ASSERT_EQUAL(std::string("application/json"), created.header("content-type"));
        CPPUNIT_ASSERT_EQUAL(std::string("application/json"),
                             as("GET", "/Users/nobody", "application/json").header("content-type"));
        CPPUNIT_ASSERT_EQUAL(std::string("application/scim+json"),
                             as("GET", "/Users", "*/*").header("content-type"));
        CPPUNIT_ASSERT_EQUAL(std::string("application/scim+json"),
                             as("GET", "/Users", "application/json;q=0.5, application/scim+json")
                                 .header("content-type"));
        CPPUNIT_ASSERT_EQUAL(std::string("application/scim+json"),
                             request("GET", "/ServiceProviderConfig").header("content-type"));
        const auto refused = as("GET", "/Users", "text/html");
        CPPUNIT_ASSERT_EQUAL(406, refused.status);
        CPPUNIT_ASSERT_EQUAL(406,
                             as("POST", "/Users", "text/html", R"({"userName":"two"})").status);
        CPPUNIT_ASSERT_EQUAL(0, total("/Users?filter=userName%20eq%20%22two%22"));  // not run
        CPPUNIT_ASSERT_EQUAL(200, as("GET", "/metrics", "text/plain").status);
    }

    // RFC 7644 §4: "If a "filter" is provided, the service provider SHOULD respond with HTTP
    // status code 403 (Forbidden) to ensure that clients cannot incorrectly assume that any
    // matching conditions specified in a filter are true."
    void discoveryRefusesFilters() {
        for (const char* path : {"/Schemas?filter=id%20eq%20%22urn:x%22",
                                 "/ResourceTypes?filter=name%20eq%20%22User%22",
                                 "/ServiceProviderConfig?filter=patch.supported%20eq%20true"}) {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path, 403, request("GET", path).status);
        }
        CPPUNIT_ASSERT_EQUAL(200, request("GET", "/Schemas").status);
        CPPUNIT_ASSERT_EQUAL(200, request("GET", "/ResourceTypes").status);
    }

    // RFC 7644 §4: /ResourceTypes and /Schemas describe the types the server serves (the list
    // app/Components.cpp builds), each schema once, in the order of the types.
    void discoveryDescribesWhatIsServed() {
        const auto idsOf = [this](const std::string& path, const char* member) {
            std::string ids;
            const auto resources = jsonObject(request("GET", path).body)->getArray("Resources");
            for (std::size_t i = 0; i < resources->size(); ++i) {
                const auto resource = resources->getObject(static_cast<unsigned>(i));
                ids += resource->getValue<std::string>(member) + " ";
            }
            return ids;
        };
        CPPUNIT_ASSERT_EQUAL(std::string("User Group "), idsOf("/ResourceTypes", "id"));
        CPPUNIT_ASSERT_EQUAL(std::string("/Users /Groups "), idsOf("/ResourceTypes", "endpoint"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("urn:ietf:params:scim:schemas:core:2.0:User "
                        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User "
                        "urn:ietf:params:scim:schemas:extension:tim:1.0:User "
                        "urn:ietf:params:scim:schemas:extension:tim:2.0:User "
                        "urn:ietf:params:scim:schemas:core:2.0:Group "
                        "urn:ietf:params:scim:schemas:extension:tim:2.0:Group "),
            idsOf("/Schemas", "id"));
    }
};

class ConformanceSQLiteTest : public testing::OnSQLite<ConformanceContract> {
    CPPUNIT_TEST_SUB_SUITE(ConformanceSQLiteTest, ConformanceContract);
    CPPUNIT_TEST_SUITE_END();
};

class ConformanceMariaDBTest : public testing::OnMariaDB<ConformanceContract> {
    CPPUNIT_TEST_SUB_SUITE(ConformanceMariaDBTest, ConformanceContract);
    CPPUNIT_TEST_SUITE_END();

  public:
    ConformanceMariaDBTest() : OnMariaDB("tim_e2e_conformance_") {}
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(ConformanceSQLiteTest, "ConformanceSQLiteTest");
CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(ConformanceMariaDBTest, "ConformanceMariaDBTest");
