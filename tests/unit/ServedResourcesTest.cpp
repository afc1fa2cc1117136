// One row of api::ServedResources serves a resource type everywhere: a type the server has
// never had (Widgets, test-only) is routed, read, deleted, labelled in the metrics, described
// by discovery, addressed by Bulk and searched from the root, with no other change in api.
#include "api/BulkEndpoint.h"
#include "api/RootSearch.h"
#include "api/ScimService.h"
#include "api/ServedResources.h"
#include "api/UsersEndpoint.h"
#include "scim/DateTime.h"
#include "scim/Discovery.h"
#include "scim/Representation.h"
#include "support/ApiRequests.h"
#include "support/FakeStores.h"
#include "support/PrometheusText.h"

#include <Poco/JSON/Parser.h>

#include <cppunit/extensions/HelperMacros.h>

#include <map>
#include <stdexcept>

namespace {

using Poco::JSON::Object;
using testing::apiRequest;

const char* const kWidgetSchema = "urn:example:scim:schemas:Widget";

const scim::SchemaDef& widgetSchema() {
    static const scim::SchemaDef schema = [] {
        scim::SchemaDef widget;
        widget.id = kWidgetSchema;
        widget.name = "Widget";
        widget.description = "A type only this test serves";
        scim::AttributeDef name;
        name.name = "name";
        widget.attributes.push_back(name);
        return widget;
    }();
    return schema;
}

const scim::ResourceTypeDef& widgetType() {
    static const scim::ResourceTypeDef type{
        "Widget", "Widget", "/Widgets", "A type only this test serves", kWidgetSchema, {}};
    return type;
}

const scim::ResourceSchema& widgetResourceSchema() {
    static const scim::ResourceSchema schema(widgetSchema(), {});
    return schema;
}

struct WidgetRecord {
    std::string id;
    Object::Ptr doc;
    Poco::Int64 version = 1;
    Poco::Int64 createdMs = 0;
};

// The least a type writes: create, find, erase, show and list, in memory.
class WidgetsEndpoint final : public api::StoredResourceEndpoint<WidgetRecord> {
  public:
    explicit WidgetsEndpoint(const scim::ResourceTypeDef& type = widgetType(),
                             const scim::ResourceSchema& schema = widgetResourceSchema())
        : StoredResourceEndpoint(type, schema, api::RequestLimits{}, nullptr) {}

    mutable std::map<std::string, WidgetRecord> widgets;

  private:
    api::Response create(const api::Request& request,
                         const api::ResponseShape& shape) const override {
        WidgetRecord record;
        record.id = "w-" + std::to_string(widgets.size() + 1);
        record.doc = scim::normaliseResource(api::parseBody(request, limits()), schema()).doc;
        widgets[record.id] = record;
        return respond(201, record, shape);
    }
    api::Response replace(const api::Request&, const std::string&,
                          const api::ResponseShape&) const override {
        throw scim::ScimError(501, "", "not in this test");
    }
    api::Response patch(const api::Request&, const std::string&,
                        const api::ResponseShape&) const override {
        throw scim::ScimError(501, "", "not in this test");
    }
    api::ListedPage list(const api::ListRequest& request,
                         const std::string& baseUrl) const override {
        port::Page<WidgetRecord> page;
        Poco::JSON::Array::Ptr resources = new Poco::JSON::Array;
        for (const auto& [id, record] : widgets) {
            page.records.push_back(record);
            resources->add(request.projection.apply(show(record, {baseUrl, {}}), schema()));
        }
        page.total = page.records.size();
        return api::listedPage(resources, page);
    }
    std::optional<WidgetRecord> find(const std::string& id) const override {
        const auto found = widgets.find(id);
        return found == widgets.end() ? std::nullopt : std::make_optional(found->second);
    }
    bool erase(const std::string& id, std::optional<Poco::Int64>) const override {
        return widgets.erase(id) > 0;
    }
    Object::Ptr show(const WidgetRecord& record, const api::ResponseShape& shape) const override {
        const std::string when = scim::formatDateTime(Poco::Timestamp(0));
        return scim::renderResource(
            record.doc, record.id,
            {type().name, when, when, locationOf(shape.baseUrl, record.id), api::etagOf(1)},
            schema());
    }
};

Object::Ptr json(const api::Response& response) {
    return Poco::JSON::Parser().parse(response.body).extract<Object::Ptr>();
}

std::string headerOf(const api::Response& response, const std::string& name) {
    for (const auto& [key, value] : response.headers) {
        if (key == name) {
            return value;
        }
    }
    return "";
}

const std::string kWidget = R"({"schemas":["urn:example:scim:schemas:Widget"],"name":"cog"})";

// A service with the Bulk endpoint and root search it points to.
struct Service {
    std::unique_ptr<api::BulkEndpoint> bulk;
    std::unique_ptr<api::RootSearch> search;
    std::unique_ptr<api::ScimService> service;

    const api::ScimService* operator->() const { return service.get(); }
};

}  // namespace

class ServedResourcesTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ServedResourcesTest);
    CPPUNIT_TEST(oneRowRoutesReadsAndDeletesANewType);
    CPPUNIT_TEST(oneRowDescribesANewTypeAndLabelsItsRequests);
    CPPUNIT_TEST(bulkAddressesWhatTheRowsLetIt);
    CPPUNIT_TEST(theRootSearchSearchesEveryRow);
    CPPUNIT_TEST(aListThatContradictsItselfIsRefused);
    CPPUNIT_TEST(noTypeTakesTheServicesOwnPaths);
    CPPUNIT_TEST_SUITE_END();

  public:
    void setUp() override {
        _usersEndpoint =
            std::make_unique<api::UsersEndpoint>(_users, api::UsersSettings{}, logger());
        _served = api::ServedResources({
            {_usersEndpoint.get(), api::InBulk::WritesSecrets},
            {&_widgets, api::InBulk::Writes},
        });
    }

    void oneRowRoutesReadsAndDeletesANewType() {
        const auto service = serviceOver(_served);
        const auto created = service->handle(apiRequest("POST", "/Widgets", kWidget));
        CPPUNIT_ASSERT_EQUAL(201, created.status);
        CPPUNIT_ASSERT_EQUAL(std::string("http://h/tim/api/scim/Widgets/w-1"),
                             headerOf(created, "Location"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("Widget"),
            json(created)->getObject("meta")->getValue<std::string>("resourceType"));

        const auto read = service->handle(apiRequest("GET", "/widgets/w-1"));
        CPPUNIT_ASSERT_EQUAL(200, read.status);
        CPPUNIT_ASSERT_EQUAL(std::string("cog"), json(read)->getValue<std::string>("name"));
        CPPUNIT_ASSERT_EQUAL(std::string("W/\"1\""), headerOf(read, "ETag"));
        CPPUNIT_ASSERT_EQUAL(
            304,
            service->handle(apiRequest("GET", "/Widgets/w-1", "", {{"If-None-Match", "W/\"1\""}}))
                .status);

        CPPUNIT_ASSERT_EQUAL(204, service->handle(apiRequest("DELETE", "/Widgets/w-1")).status);
        const auto gone = service->handle(apiRequest("GET", "/Widgets/w-1"));
        CPPUNIT_ASSERT_EQUAL(404, gone.status);
        CPPUNIT_ASSERT_EQUAL(std::string("No widget w-1"),
                             json(gone)->getValue<std::string>("detail"));
        CPPUNIT_ASSERT_EQUAL(404, service->handle(apiRequest("DELETE", "/Widgets/w-1")).status);

        // Without its row the type is not served at all.
        const auto without =
            serviceOver(api::ServedResources({{_usersEndpoint.get(), api::InBulk::WritesSecrets}}));
        CPPUNIT_ASSERT_EQUAL(404, without->handle(apiRequest("POST", "/Widgets", kWidget)).status);
        CPPUNIT_ASSERT(_widgets.widgets.empty());
    }

    void oneRowDescribesANewTypeAndLabelsItsRequests() {
        const auto service = serviceOver(_served);
        const auto types = json(service->handle(apiRequest("GET", "/ResourceTypes")));
        CPPUNIT_ASSERT_EQUAL(2, types->getValue<int>("totalResults"));
        const auto widget = types->getArray("Resources")->getObject(1);
        CPPUNIT_ASSERT_EQUAL(std::string("/Widgets"), widget->getValue<std::string>("endpoint"));
        CPPUNIT_ASSERT_EQUAL(200,
                             service->handle(apiRequest("GET", "/ResourceTypes/Widget")).status);
        const auto schemas = json(service->handle(apiRequest("GET", "/Schemas")));
        // User, its three extensions, and Widget; Group is not served here.
        CPPUNIT_ASSERT_EQUAL(5, schemas->getValue<int>("totalResults"));
        CPPUNIT_ASSERT_EQUAL(
            200,
            service->handle(apiRequest("GET", std::string("/Schemas/") + kWidgetSchema)).status);
        CPPUNIT_ASSERT_EQUAL(
            404,
            service
                ->handle(apiRequest("GET", "/Schemas/urn:ietf:params:scim:schemas:core:2.0:Group"))
                .status);

        service->handle(apiRequest("GET", "/Widgets"));
        service->handle(apiRequest("GET", "/wIdGeTs"));
        service->handle(apiRequest("GET", "/Groups"));  // not served: no label of its own
        const testing::PrometheusText text(service->handle(apiRequest("GET", "/metrics")).body);
        const std::string count = "tim_scim_request_duration_seconds_count";
        CPPUNIT_ASSERT_EQUAL(
            2.0, text.value(count + R"({endpoint="Widgets",method="GET",status="200"})"));
        CPPUNIT_ASSERT_EQUAL(1.0,
                             text.value(count + R"({endpoint="other",method="GET",status="404"})"));
    }

    // A row's InBulk says whether Bulk may address the type, and whether its writes' passwords
    // count against maxPasswordOperations (here 0: one such password is too many).
    void bulkAddressesWhatTheRowsLetIt() {
        const std::string widgetWithPassword =
            R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[)"
            R"({"method":"POST","path":"/Widgets","bulkId":"w","data":)" +
            kWidget.substr(0, kWidget.size() - 1) + R"(,"password":"x"}}]})";
        const auto results =
            json(serviceOver(_served)->handle(apiRequest("POST", "/Bulk", widgetWithPassword)))
                ->getArray("Operations");
        // A widget's "password" is no secret to count: the operation runs.
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), results->size());
        CPPUNIT_ASSERT_EQUAL(std::string("201"),
                             results->getObject(0)->getValue<std::string>("status"));
        _widgets.widgets.clear();

        const std::string userWithPassword =
            R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[)"
            R"({"method":"POST","path":"/Users","bulkId":"u","data":)"
            R"({"userName":"ann@example.com","password":"x"}}]})";
        CPPUNIT_ASSERT_EQUAL(
            413,
            serviceOver(_served)->handle(apiRequest("POST", "/Bulk", userWithPassword)).status);
        CPPUNIT_ASSERT(_users.users.empty());

        const std::string widget =
            R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[)"
            R"({"method":"POST","path":"/Widgets","bulkId":"w","data":)" +
            kWidget + "}]}";
        const auto created = json(serviceOver(_served)->handle(apiRequest("POST", "/Bulk", widget)))
                                 ->getArray("Operations")
                                 ->getObject(0);
        CPPUNIT_ASSERT_EQUAL(std::string("201"), created->getValue<std::string>("status"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _widgets.widgets.size());

        const auto closed = serviceOver(api::ServedResources(
            {{_usersEndpoint.get(), api::InBulk::WritesSecrets}, {&_widgets, api::InBulk::No}}));
        const auto refused = json(closed->handle(apiRequest("POST", "/Bulk", widget)))
                                 ->getArray("Operations")
                                 ->getObject(0);
        CPPUNIT_ASSERT_EQUAL(std::string("400"), refused->getValue<std::string>("status"));
        CPPUNIT_ASSERT_EQUAL(std::string("POST takes a path of /Users"),
                             refused->getObject("response")->getValue<std::string>("detail"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _widgets.widgets.size());
    }

    void theRootSearchSearchesEveryRow() {
        const auto service = serviceOver(_served);
        CPPUNIT_ASSERT_EQUAL(201, service->handle(apiRequest("POST", "/Widgets", kWidget)).status);
        CPPUNIT_ASSERT_EQUAL(
            201, service->handle(apiRequest("POST", "/Users", R"({"userName":"ann@example.com"})"))
                     .status);
        const auto found = json(service->handle(
            apiRequest("POST", "/.search",
                       R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"]})")));
        CPPUNIT_ASSERT_EQUAL(2, found->getValue<int>("totalResults"));
        const auto resources = found->getArray("Resources");
        CPPUNIT_ASSERT_EQUAL(
            std::string("User"),
            resources->getObject(0)->getObject("meta")->getValue<std::string>("resourceType"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("Widget"),
            resources->getObject(1)->getObject("meta")->getValue<std::string>("resourceType"));
    }

    void aListThatContradictsItselfIsRefused() {
        const auto refused = [](std::vector<api::ServedResource> rows) {
            CPPUNIT_ASSERT_THROW(api::ServedResources{std::move(rows)}, std::invalid_argument);
        };
        refused({{nullptr, api::InBulk::No}});
        refused({{&_widgets, api::InBulk::No}, {&_widgets, api::InBulk::No}});
        // A type that describes extensions its schema lacks, or not all it has, would
        // describe what it refuses or hide what it takes.
        static const scim::SchemaDef extra{"urn:example:Extra", "Extra", "", {}};
        static const scim::SchemaDef more{"urn:example:More", "More", "", {}};
        static const scim::ResourceSchema withExtra(widgetSchema(), {&extra});
        static const scim::ResourceTypeDef claims{
            "Widget", "Widget", "/Widgets", "", kWidgetSchema, {{"urn:example:Missing", false}}};
        const WidgetsEndpoint claiming(claims, withExtra);
        refused({{&claiming, api::InBulk::No}});
        static const scim::ResourceSchema withTwo(widgetSchema(), {&extra, &more});
        static const scim::ResourceTypeDef repeats{
            "Widget", "Widget",      "/Widgets",
            "",       kWidgetSchema, {{"urn:example:Extra", false}, {"urn:example:Extra", false}}};
        const WidgetsEndpoint hiding(repeats, withTwo);
        refused({{&hiding, api::InBulk::No}});
        static const scim::ResourceTypeDef declared{
            "Widget", "Widget",      "/Widgets",
            "",       kWidgetSchema, {{"urn:example:Extra", false}, {"urn:example:More", false}}};
        const WidgetsEndpoint honest(declared, withTwo);
        CPPUNIT_ASSERT_NO_THROW(api::ServedResources({{&honest, api::InBulk::No}}));
        // Two types at one endpoint in any case, two types of one id, or a path of two segments.
        static const scim::ResourceTypeDef gadget{"Gadget", "Gadget",      "/widgets",
                                                  "",       kWidgetSchema, {}};
        const WidgetsEndpoint gadgets(gadget);
        refused({{&_widgets, api::InBulk::No}, {&gadgets, api::InBulk::No}});
        static const scim::ResourceTypeDef twin{"Widget", "Twin", "/Twins", "", kWidgetSchema, {}};
        const WidgetsEndpoint twins(twin);
        refused({{&_widgets, api::InBulk::No}, {&twins, api::InBulk::No}});
        static const scim::ResourceTypeDef nested{"Nested", "Nested",      "/Widgets/Nested",
                                                  "",       kWidgetSchema, {}};
        const WidgetsEndpoint nesting(nested);
        refused({{&nesting, api::InBulk::No}});
        // Another schema under the Widget schema's URN.
        static const scim::SchemaDef impostor{kWidgetSchema, "Impostor", "", {}};
        static const scim::ResourceSchema impostorSchema(impostor, {});
        static const scim::ResourceTypeDef other{"Other", "Other",       "/Others",
                                                 "",      kWidgetSchema, {}};
        const WidgetsEndpoint others(other, impostorSchema);
        refused({{&_widgets, api::InBulk::No}, {&others, api::InBulk::No}});
        CPPUNIT_ASSERT_NO_THROW(api::ServedResources(
            {{&_widgets, api::InBulk::No}, {_usersEndpoint.get(), api::InBulk::No}}));
    }

    // The service's own paths stay its own: a type at /metrics would be public with the
    // metrics, one at /Bulk would shadow Bulk.
    void noTypeTakesTheServicesOwnPaths() {
        for (const char* own : {"/metrics", "/Bulk", "/schemas", "/Me", "/.search"}) {
            const scim::ResourceTypeDef type{"Own", "Own", own, "", kWidgetSchema, {}};
            const WidgetsEndpoint endpoint(type);
            CPPUNIT_ASSERT_THROW_MESSAGE(
                own, serviceOver(api::ServedResources({{&endpoint, api::InBulk::No}})),
                std::invalid_argument);
        }
    }

  private:
    static Poco::Logger& logger() { return Poco::Logger::get("test.served"); }

    Service serviceOver(const api::ServedResources& served) {
        Service built;
        built.bulk = std::make_unique<api::BulkEndpoint>(api::BulkSettings{10, 1048576, 0},
                                                         api::RequestLimits{}, served);
        built.search = std::make_unique<api::RootSearch>(served, api::RequestLimits{});
        api::ServiceSettings settings;
        settings.publicUrl = "http://h/tim/api/scim";
        built.service = std::make_unique<api::ScimService>(
            settings, [](const api::Request&) { return api::Access::Provisioning; }, logger(),
            served, api::Observability{&_metrics, nullptr, nullptr}, built.bulk.get(),
            built.search.get());
        return built;
    }

    testing::FakeUserStore _users;
    WidgetsEndpoint _widgets;
    std::unique_ptr<api::UsersEndpoint> _usersEndpoint;
    api::ServedResources _served;
    api::Metrics _metrics;
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(ServedResourcesTest, "ServedResourcesTest");
