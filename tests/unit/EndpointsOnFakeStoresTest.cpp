// The endpoints need nothing of the store but its ports: here they run on in-memory fakes (no
// database), which also stand in for every answer a real store gives (the typed errors).
#include "api/GroupsEndpoint.h"
#include "api/ScimService.h"
#include "api/UsersEndpoint.h"
#include "port/StoreErrors.h"
#include "scim/UserSchemas.h"
#include "support/ApiRequests.h"
#include "support/FakeStores.h"

#include <Poco/JSON/Parser.h>
#include <Poco/String.h>

#include <cppunit/extensions/HelperMacros.h>

#include <map>
#include <string>
#include <vector>

namespace {

using Poco::JSON::Object;
using testing::FakeGroupStore;
using testing::FakeUserStore;

using testing::apiRequest;

Object::Ptr json(const api::Response& response) {
    return Poco::JSON::Parser().parse(response.body).extract<Object::Ptr>();
}

const std::string kEnterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

std::string managerNameIn(const Object::Ptr& user) {
    return user->getObject(kEnterprise)->getObject("manager")->getValue<std::string>("displayName");
}

}  // namespace

class EndpointsOnFakeStoresTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(EndpointsOnFakeStoresTest);
    CPPUNIT_TEST(usersLiveAndFailAsTheirPortSays);
    CPPUNIT_TEST(aPageAsksForItsManagersOnce);
    CPPUNIT_TEST(aWriteShowsTheManagerItReadWithNoOtherLookUp);
    CPPUNIT_TEST(aGroupPatchBecomesMemberChanges);
    CPPUNIT_TEST(theDefaultVendorFillsOnlyAVendorNotSent);
    CPPUNIT_TEST_SUITE_END();

  public:
    void setUp() override {
        _users = std::make_unique<FakeUserStore>();
        _groups = std::make_unique<FakeGroupStore>();
        auto& logger = Poco::Logger::get("fake-stores");
        _usersEndpoint =
            std::make_unique<api::UsersEndpoint>(*_users, api::UsersSettings{}, logger);
        _groupsEndpoint =
            std::make_unique<api::GroupsEndpoint>(*_groups, api::GroupsSettings{}, logger);
        _service = std::make_unique<api::ScimService>(
            api::ServiceSettings{}, [](const api::Request&) { return api::Access::Provisioning; },
            logger,
            api::ServedResources({{_usersEndpoint.get(), api::InBulk::WritesSecrets},
                                  {_groupsEndpoint.get(), api::InBulk::Writes}}));
    }

    void usersLiveAndFailAsTheirPortSays() {
        const auto created = _service->handle(
            apiRequest("POST", "/Users", R"({"userName":"Ann@Example.com","displayName":"Ann"})"));
        CPPUNIT_ASSERT_EQUAL(201, created.status);
        CPPUNIT_ASSERT_EQUAL(std::string("u-1"), json(created)->getValue<std::string>("id"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _users->users.size());

        const auto duplicate =
            _service->handle(apiRequest("POST", "/Users", R"({"userName":"ann@example.com"})"));
        CPPUNIT_ASSERT_EQUAL(409, duplicate.status);
        CPPUNIT_ASSERT_EQUAL(std::string("uniqueness"), duplicate.scimType);

        const auto patched = _service->handle(
            apiRequest("PATCH", "/Users/u-1",
                       R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],)"
                       R"("Operations":[{"op":"Replace","path":"title","value":"Boss"}]})",
                       {{"If-Match", "W/\"1\""}}));
        CPPUNIT_ASSERT_EQUAL(200, patched.status);
        CPPUNIT_ASSERT_EQUAL(std::string("Boss"), json(patched)->getValue<std::string>("title"));
        CPPUNIT_ASSERT_EQUAL(std::string("Boss"),
                             _users->users["u-1"].doc->getValue<std::string>("title"));

        const auto stale = _service->handle(
            apiRequest("PATCH", "/Users/u-1",
                       R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],)"
                       R"("Operations":[{"op":"replace","path":"title","value":"X"}]})",
                       {{"If-Match", "W/\"1\""}}));
        CPPUNIT_ASSERT_EQUAL(412, stale.status);
        CPPUNIT_ASSERT_EQUAL(404, _service->handle(apiRequest("GET", "/Users/u-9")).status);
        CPPUNIT_ASSERT_EQUAL(404, _service
                                      ->handle(apiRequest("PUT", "/Users/u-9",
                                                          R"({"userName":"nobody@example.com"})"))
                                      .status);

        const auto listed = _service->handle(
            apiRequest("GET", "/Users?filter=userName%20eq%20%22ann%40example.com%22"));
        CPPUNIT_ASSERT_EQUAL(200, listed.status);
        CPPUNIT_ASSERT_EQUAL(1, json(listed)->getValue<int>("totalResults"));
        CPPUNIT_ASSERT(_users->lastQuery.filter != nullptr);
        // sortBy may qualify a common attribute with the type's core schema, not another's.
        CPPUNIT_ASSERT_EQUAL(
            200,
            _service
                ->handle(apiRequest(
                    "GET", "/Users?sortBy=urn:ietf:params:scim:schemas:core:2.0:User:meta.created"))
                .status);
        CPPUNIT_ASSERT(_users->lastQuery.sortBy.has_value());
        CPPUNIT_ASSERT_EQUAL(std::string("meta.created"), _users->lastQuery.sortBy->text());
        const auto foreign = _service->handle(apiRequest(
            "GET", "/Users?sortBy=urn:ietf:params:scim:schemas:core:2.0:Group:meta.created"));
        CPPUNIT_ASSERT_EQUAL(400, foreign.status);
        CPPUNIT_ASSERT_EQUAL(std::string("invalidValue"), foreign.scimType);

        CPPUNIT_ASSERT_EQUAL(204, _service->handle(apiRequest("DELETE", "/Users/u-1")).status);
        CPPUNIT_ASSERT(_users->users.empty());
    }

    void aPageAsksForItsManagersOnce() {
        createBoss();
        for (int i = 0; i < 5; ++i) {
            const auto created = _service->handle(
                apiRequest("POST", "/Users",
                           R"({"userName":"u)" + std::to_string(i) + R"(@example.com",")" +
                               kEnterprise + R"(":{"manager":{"value":"u-1"}}})"));
            CPPUNIT_ASSERT_EQUAL(201, created.status);
        }
        _users->nameLookups = 0;
        const auto listed = _service->handle(apiRequest("GET", "/Users"));
        CPPUNIT_ASSERT_EQUAL(200, listed.status);
        CPPUNIT_ASSERT_EQUAL(1, _users->nameLookups);
        const auto resources = json(listed)->getArray("Resources");
        CPPUNIT_ASSERT_EQUAL(std::size_t(6), resources->size());
        int named = 0;
        for (std::size_t i = 0; i < resources->size(); ++i) {
            const auto user = resources->getObject(static_cast<unsigned>(i));
            if (user->has(kEnterprise)) {
                CPPUNIT_ASSERT_EQUAL(std::string("Boss"), managerNameIn(user));
                ++named;
            }
        }
        CPPUNIT_ASSERT_EQUAL(5, named);
    }

    void aWriteShowsTheManagerItReadWithNoOtherLookUp() {
        createBoss();
        CPPUNIT_ASSERT_EQUAL(
            201, _service->handle(apiRequest("POST", "/Users", R"({"userName":"u@example.com"})"))
                     .status);
        _users->nameLookups = 0;
        const auto patched = _service->handle(apiRequest(
            "PATCH", "/Users/u-2",
            R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[)"
            R"({"op":"add","path":")" +
                kEnterprise + R"(:manager","value":"u-1"}]})"));
        CPPUNIT_ASSERT_EQUAL(200, patched.status);
        CPPUNIT_ASSERT_EQUAL(std::string("Boss"), managerNameIn(json(patched)));
        const auto read = _service->handle(apiRequest("GET", "/Users/u-2"));
        CPPUNIT_ASSERT_EQUAL(std::string("Boss"), managerNameIn(json(read)));
        CPPUNIT_ASSERT_EQUAL(0, _users->nameLookups);
    }

    void aGroupPatchBecomesMemberChanges() {
        CPPUNIT_ASSERT_EQUAL(
            201, _service
                     ->handle(apiRequest("POST", "/Groups",
                                         R"({"displayName":"Staff","members":[{"value":"u-1"}]})"))
                     .status);
        CPPUNIT_ASSERT(_groups->memberIds == std::vector<std::string>{"u-1"});
        const auto patched = _service->handle(apiRequest(
            "PATCH", "/Groups/g-1",
            R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[)"
            R"({"op":"Add","path":"members","value":[{"value":"u-2"},{"value":"u-3"}]},)"
            R"({"op":"Remove","path":"members","value":[{"value":"u-1"}]}]})"));
        CPPUNIT_ASSERT_EQUAL(204, patched.status);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), _groups->memberChanges.size());
        CPPUNIT_ASSERT(_groups->memberChanges[0].kind == port::MemberChange::Kind::Add);
        CPPUNIT_ASSERT((_groups->memberChanges[0].ids == std::vector<std::string>{"u-2", "u-3"}));
        CPPUNIT_ASSERT(_groups->memberChanges[1].kind == port::MemberChange::Kind::Remove);
        CPPUNIT_ASSERT(_groups->memberChanges[1].ids == std::vector<std::string>{"u-1"});
        CPPUNIT_ASSERT_EQUAL(
            404, _service
                     ->handle(apiRequest(
                         "PATCH", "/Groups/g-9",
                         R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],)"
                         R"("Operations":[{"op":"replace","path":"displayName","value":"x"}]})"))
                     .status);
    }

    // scim.vendor.default: users and groups written without a tim:2.0 vendor get it; a vendor
    // the client sent is kept.
    void theDefaultVendorFillsOnlyAVendorNotSent() {
        auto& logger = Poco::Logger::get("fake-stores");
        api::UsersSettings users;
        users.defaultVendor = "scim";
        api::GroupsSettings groups;
        groups.defaultVendor = "scim";
        api::UsersEndpoint usersEndpoint(*_users, users, logger);
        api::GroupsEndpoint groupsEndpoint(*_groups, groups, logger);
        api::ScimService service(
            api::ServiceSettings{}, [](const api::Request&) { return api::Access::Provisioning; },
            logger,
            api::ServedResources({{&usersEndpoint, api::InBulk::WritesSecrets},
                                  {&groupsEndpoint, api::InBulk::Writes}}));
        const std::string userExtension = "urn:ietf:params:scim:schemas:extension:tim:2.0:User";
        const auto vendorOf = [](const Object::Ptr& doc, const std::string& extension) {
            return doc->getObject(extension)->getValue<std::string>("vendor");
        };

        CPPUNIT_ASSERT_EQUAL(
            201, service.handle(apiRequest("POST", "/Users", R"({"userName":"ann@example.com"})"))
                     .status);
        CPPUNIT_ASSERT_EQUAL(std::string("scim"),
                             vendorOf(_users->users["u-1"].doc, userExtension));
        CPPUNIT_ASSERT_EQUAL(
            201, service
                     .handle(apiRequest("POST", "/Users",
                                        R"({"userName":"bob@example.com",")" + userExtension +
                                            R"(":{"vendor":"Entra"}})"))
                     .status);
        CPPUNIT_ASSERT_EQUAL(std::string("Entra"),
                             vendorOf(_users->users["u-2"].doc, userExtension));
        CPPUNIT_ASSERT_EQUAL(
            200,
            service.handle(apiRequest("PUT", "/Users/u-2", R"({"userName":"bob@example.com"})"))
                .status);
        CPPUNIT_ASSERT_EQUAL(std::string("scim"),
                             vendorOf(_users->users["u-2"].doc, userExtension));

        CPPUNIT_ASSERT_EQUAL(
            201, service.handle(apiRequest("POST", "/Groups", R"({"displayName":"Team"})")).status);
        CPPUNIT_ASSERT_EQUAL(
            std::string("scim"),
            vendorOf(_groups->group->doc, "urn:ietf:params:scim:schemas:extension:tim:2.0:Group"));
    }

  private:
    // User u-1, "Boss": the manager of the users a test creates next.
    void createBoss() {
        CPPUNIT_ASSERT_EQUAL(
            201, _service
                     ->handle(apiRequest("POST", "/Users",
                                         R"({"userName":"boss@example.com","displayName":"Boss"})"))
                     .status);
    }

    std::unique_ptr<FakeUserStore> _users;
    std::unique_ptr<FakeGroupStore> _groups;
    std::unique_ptr<api::UsersEndpoint> _usersEndpoint;
    std::unique_ptr<api::GroupsEndpoint> _groupsEndpoint;
    std::unique_ptr<api::ScimService> _service;
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(EndpointsOnFakeStoresTest, "EndpointsOnFakeStoresTest");
