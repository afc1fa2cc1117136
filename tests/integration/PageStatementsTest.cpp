// A page of users whose managers are named costs the same number of statements whatever its
// size: the managers' displayNames come in one look-up, not one per user. Counted on MariaDB by
// the server's own Questions counter, over a pool of one connection so that every statement
// of the request is on the session the count is read from.
#include "api/ScimService.h"
#include "api/UsersEndpoint.h"
#include "support/EngineFixtures.h"
#include "support/StoreFixture.h"

#include <Poco/JSON/Parser.h>

#include <cppunit/extensions/HelperMacros.h>

namespace {

constexpr const char* kEnterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

}  // namespace

class PageStatementsMariaDBTest : public testing::StoreFixture {
    CPPUNIT_TEST_SUITE(PageStatementsMariaDBTest);
    CPPUNIT_TEST(aPageOfManagedUsersCostsTheSameStatementsAtAnySize);
    CPPUNIT_TEST_SUITE_END();

  public:
    store::DatabaseConfig freshConfig() override {
        auto config = testing::freshMariaDBConfig();
        config.poolMin = 1;
        config.poolMax = 1;
        return config;
    }

    void aPageOfManagedUsersCostsTheSameStatementsAtAnySize() {
        // Each user has a manager of its own, so a per-user look-up would show at any size.
        for (int i = 0; i < 40; ++i) {
            const auto manager = _users->createOrBind(
                doc(R"({"userName":"m)" + std::to_string(i) + R"(@example.com","displayName":"M)" +
                    std::to_string(i) + R"("})"),
                std::nullopt);
            _users->createOrBind(
                doc(R"({"userName":"e)" + std::to_string(i) + R"(@example.com",")" + kEnterprise +
                    R"(":{"manager":{"value":")" + manager.record.id + R"("}}})"),
                std::nullopt);
        }
        auto& logger = Poco::Logger::get("test.page");
        api::UsersEndpoint endpoint(*_users, api::UsersSettings{}, logger);
        api::ScimService service(
            api::ServiceSettings{}, [](const api::Request&) { return api::Access::Provisioning; },
            logger, &endpoint);
        const auto statements = [&](int count) {
            const auto before = questions();
            const auto response = service.handle(
                get("/Users?filter=userName%20sw%20%22e%22&count=" + std::to_string(count)));
            const auto after = questions();
            CPPUNIT_ASSERT_EQUAL(200, response.status);
            const auto body =
                Poco::JSON::Parser().parse(response.body).extract<Poco::JSON::Object::Ptr>();
            const auto resources = body->getArray("Resources");
            CPPUNIT_ASSERT_EQUAL(std::size_t(count), resources->size());
            for (std::size_t i = 0; i < resources->size(); ++i) {
                const auto manager = resources->getObject(static_cast<unsigned>(i))
                                         ->getObject(kEnterprise)
                                         ->getObject("manager");
                CPPUNIT_ASSERT_EQUAL('M', manager->getValue<std::string>("displayName")[0]);
            }
            return after - before;
        };
        statements(2);  // statements prepared, caches warm
        const auto small = statements(2);
        const auto large = statements(40);
        CPPUNIT_ASSERT_MESSAGE(
            std::to_string(small) + " statements for 2 users, " + std::to_string(large) + " for 40",
            large == small);
    }

  private:
    static Poco::JSON::Object::Ptr doc(const std::string& json) {
        return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
    }

    static api::Request get(const std::string& target) {
        api::Request request;
        request.method = "GET";
        const auto question = target.find('?');
        request.path = "/tim/api/scim" + target.substr(0, question);
        request.query = target.substr(question + 1);
        return request;
    }

    // Statements the server has run on the pool's one connection so far (this one included).
    Poco::Int64 questions() {
        Poco::Data::Session session = _database->session();
        std::string name;
        Poco::Int64 value = 0;
        session << "SHOW SESSION STATUS LIKE 'Questions'", Poco::Data::Keywords::into(name),
            Poco::Data::Keywords::into(value), Poco::Data::Keywords::now;
        return value;
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(PageStatementsMariaDBTest, "PageStatementsMariaDBTest");
