// /Schemas and /ResourceTypes: every attribute the guide maps is discoverable, every
// attribute carries its RFC 7643 §7 characteristics.
#include "api/GroupsEndpoint.h"
#include "api/ScimService.h"
#include "api/UsersEndpoint.h"
#include "support/FakeStores.h"

#include <Poco/JSON/Parser.h>

#include <cppunit/extensions/HelperMacros.h>

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

api::Response get(const std::string& path, const std::string& method = "GET") {
    // Discovery describes what is served: Users and Groups, here on stores in memory.
    static testing::FakeUserStore users;
    static testing::FakeGroupStore groups;
    static const api::UsersEndpoint usersEndpoint(users, {}, Poco::Logger::get("test"));
    static const api::GroupsEndpoint groupsEndpoint(groups, {}, Poco::Logger::get("test"));
    static const api::ScimService service(
        api::ServiceSettings{}, [](const api::Request&) { return api::Access::Provisioning; },
        Poco::Logger::get("test"),
        api::ServedResources({{&usersEndpoint, api::InBulk::WritesSecrets},
                              {&groupsEndpoint, api::InBulk::Writes}}));
    api::Request request;
    request.method = method;
    request.path = "/tim/api/scim" + path;
    request.header = [](const std::string& name) -> std::optional<std::string> {
        if (name == "Accept") {
            return std::nullopt;  // a client that accepts anything
        }
        return std::string("h");
    };
    return service.handle(request);
}

Object::Ptr json(const api::Response& response) {
    return Poco::JSON::Parser().parse(response.body).extract<Object::Ptr>();
}

// The attribute at "name" or "name.sub" of the schema document, or null.
Object::Ptr findAttribute(const Object::Ptr& schema, const std::string& path) {
    const auto dot = path.find('.');
    const std::string name = path.substr(0, dot);
    const Array::Ptr attributes = schema->getArray("attributes");
    for (std::size_t i = 0; i < attributes->size(); ++i) {
        const Object::Ptr attribute = attributes->getObject(static_cast<unsigned>(i));
        if (Poco::icompare(attribute->getValue<std::string>("name"), name) == 0) {
            if (dot == std::string::npos) {
                return attribute;
            }
            Object::Ptr wrapper = new Object;
            wrapper->set("attributes", attribute->getArray("subAttributes"));
            return findAttribute(wrapper, path.substr(dot + 1));
        }
    }
    return nullptr;
}

Object::Ptr schemaById(const std::string& urn) {
    return json(get("/Schemas/" + urn));
}

void assertCharacteristics(const Object::Ptr& attribute) {
    for (const char* key : {"name", "type", "multiValued", "description", "required", "mutability",
                            "returned", "uniqueness"}) {
        CPPUNIT_ASSERT_MESSAGE(attribute->getValue<std::string>("name") + " lacks " + key,
                               attribute->has(key));
    }
    if (attribute->has("subAttributes")) {
        const Array::Ptr subs = attribute->getArray("subAttributes");
        for (std::size_t i = 0; i < subs->size(); ++i) {
            assertCharacteristics(subs->getObject(static_cast<unsigned>(i)));
        }
    }
}

}  // namespace

class DiscoveryTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(DiscoveryTest);
    CPPUNIT_TEST(schemasListsEverySchemaWithFullCharacteristics);
    CPPUNIT_TEST(everyAttributeTheGuideMapsIsDiscoverable);
    CPPUNIT_TEST(userNameIsRequiredUniqueAndCaseInsensitive);
    CPPUNIT_TEST(schemaByIdIsCaseInsensitiveAndUnknownIs404);
    CPPUNIT_TEST(resourceTypesDescribeUsers);
    CPPUNIT_TEST(discoveryIsReadOnly);
    CPPUNIT_TEST_SUITE_END();

  public:
    void schemasListsEverySchemaWithFullCharacteristics() {
        const auto response = get("/Schemas");
        CPPUNIT_ASSERT_EQUAL(200, response.status);
        const auto list = json(response);
        CPPUNIT_ASSERT_EQUAL(std::string("urn:ietf:params:scim:api:messages:2.0:ListResponse"),
                             list->getArray("schemas")->getElement<std::string>(0));
        const Array::Ptr resources = list->getArray("Resources");
        CPPUNIT_ASSERT_EQUAL(std::size_t(6), resources->size());
        CPPUNIT_ASSERT_EQUAL(6, list->getValue<int>("totalResults"));
        // Entra's validators fail every group test when the Group schema is missing.
        CPPUNIT_ASSERT(findAttribute(schemaById("urn:ietf:params:scim:schemas:core:2.0:Group"),
                                     "members.value"));
        CPPUNIT_ASSERT(findAttribute(
            schemaById("urn:ietf:params:scim:schemas:extension:tim:2.0:Group"), "vendor"));
        for (std::size_t i = 0; i < resources->size(); ++i) {
            const auto schema = resources->getObject(static_cast<unsigned>(i));
            CPPUNIT_ASSERT(schema->has("id") && schema->has("name") && schema->has("meta"));
            const Array::Ptr attributes = schema->getArray("attributes");
            CPPUNIT_ASSERT(attributes->size() > 0);
            for (std::size_t j = 0; j < attributes->size(); ++j) {
                assertCharacteristics(attributes->getObject(static_cast<unsigned>(j)));
            }
        }
    }

    void everyAttributeTheGuideMapsIsDiscoverable() {
        const std::string core = "urn:ietf:params:scim:schemas:core:2.0:User";
        const std::string enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
        const std::pair<std::string, std::string> mapped[] = {
            {core, "userName"},
            {core, "active"},
            {core, "externalId"},
            {core, "name.givenName"},
            {core, "name.familyName"},
            {core, "phoneNumbers.value"},
            {core, "phoneNumbers.type"},
            {core, "emails.value"},
            {"urn:ietf:params:scim:schemas:extension:tim:1.0:User", "email"},
            {"urn:ietf:params:scim:schemas:extension:tim:2.0:User", "vendor"},
            {"urn:ietf:params:scim:schemas:extension:tim:2.0:User", "roles"},
            {enterprise, "employeeNumber"},
            {enterprise, "organization"},
            {enterprise, "department"},
            {enterprise, "manager.value"},
        };
        for (const auto& m : mapped) {
            CPPUNIT_ASSERT_MESSAGE(m.first + ":" + m.second,
                                   findAttribute(schemaById(m.first), m.second));
        }
        const auto type = findAttribute(schemaById(core), "phoneNumbers.type");
        const auto canonical = type->getArray("canonicalValues");
        bool work = false;
        bool mobile = false;
        for (std::size_t i = 0; i < canonical->size(); ++i) {
            work = work || canonical->getElement<std::string>(static_cast<unsigned>(i)) == "work";
            mobile =
                mobile || canonical->getElement<std::string>(static_cast<unsigned>(i)) == "mobile";
        }
        CPPUNIT_ASSERT(work && mobile);
        CPPUNIT_ASSERT_EQUAL(
            std::string("readOnly"),
            findAttribute(schemaById("urn:ietf:params:scim:schemas:extension:tim:2.0:User"),
                          "roles")
                ->getValue<std::string>("mutability"));
    }

    void userNameIsRequiredUniqueAndCaseInsensitive() {
        const auto userName =
            findAttribute(schemaById("urn:ietf:params:scim:schemas:core:2.0:User"), "userName");
        CPPUNIT_ASSERT(userName->getValue<bool>("required"));
        CPPUNIT_ASSERT(!userName->getValue<bool>("caseExact"));
        CPPUNIT_ASSERT_EQUAL(std::string("server"), userName->getValue<std::string>("uniqueness"));
        const auto password =
            findAttribute(schemaById("urn:ietf:params:scim:schemas:core:2.0:User"), "password");
        CPPUNIT_ASSERT_EQUAL(std::string("never"), password->getValue<std::string>("returned"));
        CPPUNIT_ASSERT_EQUAL(std::string("writeOnly"),
                             password->getValue<std::string>("mutability"));
    }

    void schemaByIdIsCaseInsensitiveAndUnknownIs404() {
        const auto response = get("/Schemas/URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER");
        CPPUNIT_ASSERT_EQUAL(200, response.status);
        CPPUNIT_ASSERT_EQUAL(std::string("urn:ietf:params:scim:schemas:core:2.0:User"),
                             json(response)->getValue<std::string>("id"));
        CPPUNIT_ASSERT_EQUAL(404, get("/Schemas/urn:example:unknown").status);
        CPPUNIT_ASSERT_EQUAL(404, get("/ResourceTypes/Nothing").status);
    }

    void resourceTypesDescribeUsers() {
        const auto list = json(get("/v2/ResourceTypes"));
        CPPUNIT_ASSERT_EQUAL(2, list->getValue<int>("totalResults"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("/Groups"),
            list->getArray("Resources")->getObject(1)->getValue<std::string>("endpoint"));
        const auto users = list->getArray("Resources")->getObject(0);
        CPPUNIT_ASSERT_EQUAL(std::string("User"), users->getValue<std::string>("id"));
        CPPUNIT_ASSERT_EQUAL(std::string("/Users"), users->getValue<std::string>("endpoint"));
        CPPUNIT_ASSERT_EQUAL(std::string("urn:ietf:params:scim:schemas:core:2.0:User"),
                             users->getValue<std::string>("schema"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), users->getArray("schemaExtensions")->size());
        const auto one = json(get("/ResourceTypes/user"));
        CPPUNIT_ASSERT_EQUAL(std::string("User"), one->getValue<std::string>("name"));
        CPPUNIT_ASSERT_EQUAL(std::string("http://h/tim/api/scim/ResourceTypes/User"),
                             one->getObject("meta")->getValue<std::string>("location"));
    }

    void discoveryIsReadOnly() {
        CPPUNIT_ASSERT_EQUAL(405, get("/Schemas", "POST").status);
        CPPUNIT_ASSERT_EQUAL(405, get("/ResourceTypes/User", "DELETE").status);
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(DiscoveryTest, "DiscoveryTest");
