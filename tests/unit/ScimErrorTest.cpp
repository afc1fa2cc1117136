// SCIM error documents (RFC 7644 §3.12) and the ServiceProviderConfig document (RFC 7643 §5).
#include "api/Http.h"
#include "scim/ScimError.h"
#include "scim/ServiceProviderConfig.h"

#include <Poco/JSON/Parser.h>

#include <cppunit/extensions/HelperMacros.h>

namespace {

Poco::JSON::Object::Ptr parse(const std::string& text) {
    return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

std::string header(const api::Response& response, const std::string& name) {
    for (const auto& h : response.headers) {
        if (h.first == name) {
            return h.second;
        }
    }
    return "";
}

}  // namespace

class ScimErrorTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ScimErrorTest);
    CPPUNIT_TEST(errorDocumentHasSchemaStatusStringAndDetail);
    CPPUNIT_TEST(scimTypeIsOmittedWhereTheRfcHasNone);
    CPPUNIT_TEST(factoriesSetStatusAndScimType);
    CPPUNIT_TEST(errorResponsesCarryTheirHeaders);
    CPPUNIT_TEST(serviceProviderConfigHasEveryRfcAttribute);
    CPPUNIT_TEST_SUITE_END();

  public:
    void errorDocumentHasSchemaStatusStringAndDetail() {
        const auto response = api::Response::error(scim::conflict("userName taken"));
        CPPUNIT_ASSERT_EQUAL(409, response.status);
        CPPUNIT_ASSERT_EQUAL(std::string("application/scim+json"),
                             header(response, "Content-Type"));
        const auto doc = parse(response.body);
        CPPUNIT_ASSERT_EQUAL(std::string(scim::kErrorSchema),
                             doc->getArray("schemas")->getElement<std::string>(0));
        CPPUNIT_ASSERT(doc->get("status").isString());
        CPPUNIT_ASSERT_EQUAL(std::string("409"), doc->getValue<std::string>("status"));
        CPPUNIT_ASSERT_EQUAL(std::string("uniqueness"), doc->getValue<std::string>("scimType"));
        CPPUNIT_ASSERT_EQUAL(std::string("userName taken"), doc->getValue<std::string>("detail"));
    }

    void scimTypeIsOmittedWhereTheRfcHasNone() {
        const auto doc = parse(api::Response::error(scim::notFound("gone")).body);
        CPPUNIT_ASSERT(!doc->has("scimType"));
    }

    void factoriesSetStatusAndScimType() {
        CPPUNIT_ASSERT_EQUAL(400, scim::badRequest("invalidFilter", "x").status());
        CPPUNIT_ASSERT_EQUAL(std::string("invalidFilter"),
                             scim::badRequest("invalidFilter", "x").scimType());
        CPPUNIT_ASSERT_EQUAL(401, scim::unauthorized("x").status());
        CPPUNIT_ASSERT_EQUAL(405, scim::methodNotAllowed("x").status());
        CPPUNIT_ASSERT_EQUAL(413, scim::payloadTooLarge("x").status());
        CPPUNIT_ASSERT_EQUAL(500, scim::internalError().status());
        CPPUNIT_ASSERT_EQUAL(503, scim::serviceUnavailable("x").status());
    }

    void errorResponsesCarryTheirHeaders() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("Bearer"),
            header(api::Response::error(scim::unauthorized("x")), "WWW-Authenticate"));
        CPPUNIT_ASSERT(
            !header(api::Response::error(scim::serviceUnavailable("x")), "Retry-After").empty());
    }

    void serviceProviderConfigHasEveryRfcAttribute() {
        scim::ServiceProviderCapabilities caps;
        caps.filterMaxResults = 123;
        caps.documentationUri = "https://docs.example/scim";
        const auto doc = scim::serviceProviderConfig(caps, "https://h/scim/ServiceProviderConfig");
        CPPUNIT_ASSERT_EQUAL(std::string(scim::kServiceProviderConfigSchema),
                             doc->getArray("schemas")->getElement<std::string>(0));
        CPPUNIT_ASSERT_EQUAL(std::string("https://docs.example/scim"),
                             doc->getValue<std::string>("documentationUri"));
        for (const char* feature : {"patch", "bulk", "filter", "changePassword", "sort", "etag"}) {
            CPPUNIT_ASSERT_MESSAGE(feature, doc->getObject(feature)->get("supported").isBoolean());
        }
        CPPUNIT_ASSERT_EQUAL(123, doc->getObject("filter")->getValue<int>("maxResults"));
        CPPUNIT_ASSERT(doc->getObject("bulk")->has("maxOperations"));
        CPPUNIT_ASSERT(doc->getObject("bulk")->has("maxPayloadSize"));
        const auto scheme = doc->getArray("authenticationSchemes")->getObject(0);
        CPPUNIT_ASSERT_EQUAL(std::string("oauthbearertoken"),
                             scheme->getValue<std::string>("type"));
        for (const char* field : {"name", "description"}) {
            CPPUNIT_ASSERT_MESSAGE(field, scheme->has(field));
        }
        const auto meta = doc->getObject("meta");
        CPPUNIT_ASSERT_EQUAL(std::string("ServiceProviderConfig"),
                             meta->getValue<std::string>("resourceType"));
        CPPUNIT_ASSERT_EQUAL(std::string("https://h/scim/ServiceProviderConfig"),
                             meta->getValue<std::string>("location"));
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(ScimErrorTest, "ScimErrorTest");
