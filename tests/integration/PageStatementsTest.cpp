// A page costs the same number of statements whatever its size: a page of users whose managers
// are named (their displayNames in one look-up, not one per user), a page a filter no column
// answers picks (each scanned batch's managers in one look-up on the scan's own session, the
// page read in one statement), and a page of groups with their members (one statement for all
// of them). Counted on MariaDB by the server's own Questions counter, over a pool of one
// connection: every statement of the request is on the session the count is read from, and a
// request that asked for a second session would fail.
#include "api/GroupsEndpoint.h"
#include "api/ScimService.h"
#include "api/UsersEndpoint.h"
#include "store/accounts/GroupRepository.h"
#include "store/engine/PreparedStatements.h"
#include "support/EngineFixtures.h"
#include "support/ServiceOverStores.h"
#include "support/StoreFixture.h"

#include <Poco/JSON/Parser.h>

#include <cppunit/extensions/HelperMacros.h>

#include <functional>

namespace {

constexpr const char* kEnterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

}  // namespace

class PageStatementsMariaDBTest : public testing::StoreFixture {
    CPPUNIT_TEST_SUITE(PageStatementsMariaDBTest);
    CPPUNIT_TEST(aPageOfManagedUsersCostsTheSameStatementsAtAnySize);
    CPPUNIT_TEST(aPageAResidueFilterPicksCostsTheSameStatementsAtAnySize);
    CPPUNIT_TEST(aPageOfGroupsWithMembersCostsTheSameStatementsAtAnySize);
    CPPUNIT_TEST(pagesOfEveryLengthShareAFewKeptStatements);
    CPPUNIT_TEST(aMemberFilterScansAFewGroupsAtATime);
    CPPUNIT_TEST_SUITE_END();

  public:
    store::DatabaseConfig freshConfig() override { return testing::freshMariaDBConfig(); }
    void configure(store::DatabaseConfig& config) override { testing::useOneConnection(config); }

    void aPageOfManagedUsersCostsTheSameStatementsAtAnySize() {
        // Each user has a manager of its own, so a per-user look-up would show at any size.
        createManagedUsers("e", "");
        auto& logger = Poco::Logger::get("test.page");
        api::UsersEndpoint endpoint(*_users, api::UsersSettings{}, logger);
        const api::ScimService service = serviceOver(endpoint);
        const auto statements = [&](int count) {
            Poco::Int64 cost = 0;
            const auto body = counted(
                service, "/Users?filter=userName%20sw%20%22e%22&count=" + std::to_string(count),
                cost);
            const auto resources = body->getArray("Resources");
            CPPUNIT_ASSERT_EQUAL(std::size_t(count), resources->size());
            for (std::size_t i = 0; i < resources->size(); ++i) {
                const auto manager = resources->getObject(static_cast<unsigned>(i))
                                         ->getObject(kEnterprise)
                                         ->getObject("manager");
                CPPUNIT_ASSERT_EQUAL('M', manager->getValue<std::string>("displayName")[0]);
            }
            return cost;
        };
        expectSameAtAnySize(statements, "users");
    }

    void aPageAResidueFilterPicksCostsTheSameStatementsAtAnySize() {
        // No column answers title: every user is scanned, rendered with its manager's name.
        createManagedUsers("p", R"("title":"pilot",)");
        auto& logger = Poco::Logger::get("test.page");
        api::UsersEndpoint endpoint(*_users, api::UsersSettings{}, logger);
        const api::ScimService service = serviceOver(endpoint);
        const auto statements = [&](const std::string& filter, int count) {
            Poco::Int64 cost = 0;
            const auto body = counted(
                service, "/Users?filter=" + filter + "&count=" + std::to_string(count), cost);
            CPPUNIT_ASSERT_EQUAL(40, body->getValue<int>("totalResults"));
            CPPUNIT_ASSERT_EQUAL(std::size_t(count), body->getArray("Resources")->size());
            return cost;
        };
        const std::string byTitle = "title%20eq%20%22pilot%22";
        // The residue looks at the manager's displayName, which only the scan's read gives.
        const std::string byManager = "title%20eq%20%22pilot%22%20and%20" +
                                      std::string(kEnterprise) +
                                      ":manager.displayName%20sw%20%22M%22";
        for (const auto& filter : {byTitle, byManager}) {
            expectSameAtAnySize([&](int count) { return statements(filter, count); }, "users");
        }
    }

    void aPageOfGroupsWithMembersCostsTheSameStatementsAtAnySize() {
        std::vector<std::string> members;
        for (int i = 0; i < 2; ++i) {
            members.push_back(
                _users
                    ->createOrBind(doc(R"({"userName":"u)" + std::to_string(i) + R"("})"),
                                   std::nullopt)
                    .record.id);
        }
        for (int i = 0; i < 40; ++i) {
            _groups->createOrBind(doc(R"({"displayName":"G)" + std::to_string(i) + R"("})"),
                                  members);
        }
        auto& logger = Poco::Logger::get("test.page");
        api::GroupsEndpoint endpoint(*_groups, api::GroupsSettings{}, logger);
        const api::ScimService service = serviceOver(endpoint);
        const auto statements = [&](const std::string& query, int count) {
            Poco::Int64 cost = 0;
            const auto body =
                counted(service, "/Groups?" + query + "count=" + std::to_string(count), cost);
            const auto resources = body->getArray("Resources");
            CPPUNIT_ASSERT_EQUAL(std::size_t(count), resources->size());
            for (std::size_t i = 0; i < resources->size(); ++i) {
                CPPUNIT_ASSERT_EQUAL(
                    std::size_t(2),
                    resources->getObject(static_cast<unsigned>(i))->getArray("members")->size());
            }
            return cost;
        };
        // An indexed page, and a filter no column answers (the scan reads no member: the
        // filter does not name them).
        for (const std::string query : {"", "filter=meta.resourceType%20eq%20%22Group%22&"}) {
            expectSameAtAnySize([&](int count) { return statements(query, count); }, "groups");
        }
    }

    // The IN lists of a page (its users' roles, their managers' names, the residue's picks, the
    // groups' members) come in a few lengths, so that the connection's 64 kept statements
    // hold pages of every size: the second run of pages of 1 to 40 prepares nothing (one
    // statement per length, 2 x 40 for the users alone, would evict them run after run).
    void pagesOfEveryLengthShareAFewKeptStatements() {
        const auto wideBefore = store::wideResultColumnsSeen();  // before anything is prepared
        createManagedUsers("k", R"("title":"pilot",)");
        for (int i = 0; i < 40; ++i) {
            _groups->createOrBind(doc(R"({"displayName":"K)" + std::to_string(i) + R"("})"),
                                  std::nullopt);
        }
        const testing::ServiceOverStores served(*_users, *_groups, Poco::Logger::get("test.page"));
        const api::ScimService& service = served.service;
        const auto pagesOfEveryLength = [&] {
            for (const std::string target :
                 {"/Users?count=", "/Users?filter=title%20eq%20%22pilot%22&count=",
                  "/Groups?count="}) {
                for (int count = 1; count <= 40; ++count) {
                    const auto response = service.handle(get(target + std::to_string(count)));
                    CPPUNIT_ASSERT_EQUAL(200, response.status);
                }
            }
        };
        pagesOfEveryLength();
        const auto before = store::keptStatementsPrepared();
        pagesOfEveryLength();
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), store::keptStatementsPrepared() - before);
        // No result column for which Poco's MySQL connector would zero a huge buffer at each
        // execution.
        CPPUNIT_ASSERT_EQUAL(wideBefore, store::wideResultColumnsSeen());
    }

    // A filter no column answers that looks at members holds kMemberScanBatch groups' members
    // at once, not a whole scan batch's: 50 more groups cost two statements (a batch and its
    // members) per kMemberScanBatch more.
    void aMemberFilterScansAFewGroupsAtATime() {
        const std::vector<std::string> members{
            _users->createOrBind(doc(R"({"userName":"u0"})"), std::nullopt).record.id,
            _users->createOrBind(doc(R"({"userName":"u1"})"), std::nullopt).record.id};
        auto& logger = Poco::Logger::get("test.page");
        api::GroupsEndpoint endpoint(*_groups, api::GroupsSettings{}, logger);
        const api::ScimService service = serviceOver(endpoint);
        int groups = 0;
        const auto scanOf = [&](int total) {
            for (; groups < total; ++groups) {
                _groups->createOrBind(doc(R"({"displayName":"S)" + std::to_string(groups) + "\"}"),
                                      members);
            }
            Poco::Int64 cost = 0;
            const auto body = counted(
                service, "/Groups?filter=members%5Bdisplay%20eq%20%22u0%22%5D&count=1", cost);
            CPPUNIT_ASSERT_EQUAL(total, body->getValue<int>("totalResults"));
            return cost;
        };
        const auto batches = [](int total) {
            const int size = static_cast<int>(store::kMemberScanBatch);
            return total / size + 1 + (total + size - 1) / size;  // reads, then member reads
        };
        scanOf(10);  // statements prepared
        const auto few = scanOf(10);
        const auto many = scanOf(60);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(batches(60) - batches(10)), many - few);
    }

  private:
    // The body of a GET answered 200, and the statements it cost.
    Poco::JSON::Object::Ptr counted(const api::ScimService& service, const std::string& target,
                                    Poco::Int64& cost) {
        const auto before = questions();
        const auto response = service.handle(get(target));
        cost = questions() - before;
        CPPUNIT_ASSERT_EQUAL(200, response.status);
        return Poco::JSON::Parser().parse(response.body).extract<Poco::JSON::Object::Ptr>();
    }

    // `statements(count)` is the same for a page of 2 and of 40 (after a warm-up).
    static void expectSameAtAnySize(const std::function<Poco::Int64(int)>& statements,
                                    const std::string& what) {
        statements(2);  // statements prepared, caches warm
        const auto small = statements(2);
        const auto large = statements(40);
        CPPUNIT_ASSERT_MESSAGE(std::to_string(small) + " statements for 2 " + what + ", " +
                                   std::to_string(large) + " for 40",
                               large == small);
    }

    // 40 users named `prefix`N@example.com with `attributes` (JSON members and a comma), each
    // with a manager of its own, named MN.
    void createManagedUsers(const std::string& prefix, const std::string& attributes) {
        for (int i = 0; i < 40; ++i) {
            const auto manager = _users->createOrBind(
                doc(R"({"userName":"m)" + prefix + std::to_string(i) +
                    R"(@example.com","displayName":"M)" + std::to_string(i) + R"("})"),
                std::nullopt);
            _users->createOrBind(doc(R"({"userName":")" + prefix + std::to_string(i) +
                                     R"(@example.com",)" + attributes + "\"" + kEnterprise +
                                     R"(":{"manager":{"value":")" + manager.record.id + R"("}}})"),
                                 std::nullopt);
        }
    }

    static api::ScimService serviceOver(const api::ResourceEndpoint& endpoint) {
        return api::ScimService(
            api::ServiceSettings{}, [](const api::Request&) { return api::Access::Provisioning; },
            Poco::Logger::get("test.page"),
            api::ServedResources({{&endpoint, api::InBulk::Writes}}));
    }

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
