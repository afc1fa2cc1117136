// Cursor paging (RFC 9865) over HTTP through timhost, on SQLite and on the test MariaDB: a walk
// under concurrent inserts and deletes, previous pages, filters and .search, and every cursor
// that is not this service's own for the same query refused.
#include "support/HostProcess.h"
#include "support/Race.h"
#include "support/TestDatabases.h"

#include <Poco/JSON/Parser.h>
#include <Poco/Process.h>
#include <Poco/URI.h>

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <set>
#include <thread>

using testing::HostProcess;

namespace {

using Poco::JSON::Object;

Object::Ptr json(const std::string& text) {
    return Poco::JSON::Parser().parse(text).extract<Object::Ptr>();
}

std::string encoded(const std::string& text) {
    std::string out;
    Poco::URI::encode(text, "+&=?#%\"[] ", out);
    return out;
}

// The ids of a ListResponse's Resources, in order.
std::vector<std::string> idsOf(const Object::Ptr& page) {
    std::vector<std::string> ids;
    const auto resources = page->getArray("Resources");
    for (std::size_t i = 0; resources && i < resources->size(); ++i) {
        ids.push_back(resources->getObject(static_cast<unsigned>(i))->getValue<std::string>("id"));
    }
    return ids;
}

std::string cursorOf(const Object::Ptr& page, const char* name) {
    return page->has(name) ? page->getValue<std::string>(name) : "";
}

}  // namespace

class PagingContract : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PagingContract);
    CPPUNIT_TEST(aWalkSeesEveryLastingUserOnceUnderConcurrentWrites);
    CPPUNIT_TEST(cursorsWorkWithFiltersSearchesAndGroups);
    CPPUNIT_TEST(cursorsNotIssuedForTheQueryAreRefused);
    CPPUNIT_TEST_SUITE_END_ABSTRACT();

  public:
    virtual std::map<std::string, std::string> databaseProperties() = 0;

    void setUp() override {
        _host = std::make_unique<HostProcess>(std::vector<std::string>{"tim-scim"},
                                              databaseProperties());
        _host->start();
        _scim = std::make_unique<testing::ScimClient>(*_host);
    }

    void tearDown() override {
        _scim.reset();
        _host.reset();
    }

    void aWalkSeesEveryLastingUserOnceUnderConcurrentWrites() {
        // 1,000 users that last, and among them 200 that are deleted while the walk runs:
        // a walk by offset would then skip lasting users.
        const int total = 1200;
        std::vector<std::string> created(total);
        testing::race(4, [&](int thread) {
            for (int i = thread; i < total; i += 4) {
                created[static_cast<std::size_t>(i)] = newUser("walk-" + std::to_string(i));
            }
        });
        std::vector<std::string> lasting;
        std::vector<std::string> doomed;
        for (std::size_t i = 0; i < created.size(); ++i) {
            (i % 6 == 5 ? doomed : lasting).push_back(created[i]);
        }
        // While the walk runs, doomed users go and new ones come.
        std::atomic<bool> walking{true};
        std::atomic<int> deleted{0};
        std::atomic<int> failures{0};  // assertions cannot fail on another thread
        std::thread writer([&] {
            for (std::size_t n = 0; walking && n < doomed.size(); ++n) {
                const auto added = (*_scim)("POST", "/Users",
                                            R"({"userName":"churn-)" + std::to_string(n) + "\"}");
                const auto removed = (*_scim)("DELETE", "/Users/" + doomed[n]);
                if (added.status != 201 || removed.status != 204) {
                    ++failures;
                }
                ++deleted;
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
            }
        });
        std::map<std::string, int> seen;
        const auto pages =
            walk("/Users?count=70&cursor=", "", "nextCursor", [&](const Object::Ptr& page) {
                CPPUNIT_ASSERT(!page->has("startIndex"));
                CPPUNIT_ASSERT(page->getValue<std::size_t>("totalResults") >= lasting.size());
                for (const auto& id : idsOf(page)) {
                    ++seen[id];
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            });
        walking = false;
        writer.join();
        CPPUNIT_ASSERT_MESSAGE(std::to_string(deleted), deleted > 20);
        CPPUNIT_ASSERT_EQUAL(0, failures.load());
        CPPUNIT_ASSERT(pages.size() >= lasting.size() / 70);
        for (const auto& [id, times] : seen) {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(id, 1, times);
        }
        for (const auto& id : lasting) {
            CPPUNIT_ASSERT_MESSAGE(id, seen.count(id) == 1);
        }

        // Quiet now: walking back from the last page with previousCursor gives the same
        // users in reverse.
        std::vector<std::string> forward;
        const auto ahead =
            walk("/Users?count=90&cursor=", "", "nextCursor", [&](const Object::Ptr& page) {
                const auto ids = idsOf(page);
                forward.insert(forward.end(), ids.begin(), ids.end());
            });
        std::vector<std::string> backward = idsOf(ahead.back());
        std::reverse(backward.begin(), backward.end());
        walk("/Users?count=90&cursor=", cursorOf(ahead.back(), "previousCursor"), "previousCursor",
             [&](const Object::Ptr& page) {
                 const auto ids = idsOf(page);
                 backward.insert(backward.end(), ids.rbegin(), ids.rend());
             });
        std::reverse(backward.begin(), backward.end());
        CPPUNIT_ASSERT(forward == backward);
        CPPUNIT_ASSERT_EQUAL(
            json((*_scim)("GET", "/Users?count=0").body)->getValue<std::size_t>("totalResults"),
            forward.size());
    }

    void cursorsWorkWithFiltersSearchesAndGroups() {
        std::set<std::string> matching;
        for (int i = 0; i < 23; ++i) {
            matching.insert(newUser("pick-" + std::to_string(i)));
            newUser("skip-" + std::to_string(i));
        }
        const std::string filter = encoded(R"(userName sw "pick-")");
        std::set<std::string> found;
        std::vector<std::string> order;
        walk("/Users?filter=" + filter + "&count=5&sortOrder=descending&cursor=", "", "nextCursor",
             [&](const Object::Ptr& page) {
                 CPPUNIT_ASSERT_EQUAL(std::size_t(23), page->getValue<std::size_t>("totalResults"));
                 for (const auto& id : idsOf(page)) {
                     CPPUNIT_ASSERT(found.insert(id).second);
                     order.push_back(id);
                 }
             });
        CPPUNIT_ASSERT(found == matching);
        // Descending creation order: the newest first, as index paging sorts by meta.created.
        const auto newest =
            list("/Users?filter=" + filter + "&sortBy=meta.created&sortOrder=descending&count=1");
        CPPUNIT_ASSERT_EQUAL(idsOf(newest).front(), order.front());

        // A filter no column answers (title) walks the same way.
        for (const auto& id : matching) {
            CPPUNIT_ASSERT_EQUAL(200, (*_scim)("PATCH", "/Users/" + id,
                                               R"({"Operations":[{"op":"replace","path":"title",)"
                                               R"("value":"Walker"}]})")
                                          .status);
        }
        found.clear();
        std::string cursor;
        for (int pages = 0; pages == 0 || !cursor.empty(); ++pages) {
            CPPUNIT_ASSERT(pages < 10);
            const auto page = json((*_scim)("POST", "/Users/.search",
                                            R"({"filter":"title eq \"Walker\"","count":4,)"
                                            R"("cursor":")" +
                                                cursor + "\"}")
                                       .body);
            CPPUNIT_ASSERT_EQUAL(std::size_t(23), page->getValue<std::size_t>("totalResults"));
            for (const auto& id : idsOf(page)) {
                CPPUNIT_ASSERT(found.insert(id).second);
            }
            cursor = cursorOf(page, "nextCursor");
        }
        CPPUNIT_ASSERT(found == matching);

        // Groups page the same way.
        std::set<std::string> groups;
        for (int i = 0; i < 5; ++i) {
            const auto result =
                (*_scim)("POST", "/Groups", R"({"displayName":"G)" + std::to_string(i) + "\"}");
            groups.insert(json(result.body)->getValue<std::string>("id"));
        }
        const auto first = list("/Groups?count=3&cursor=");
        const auto second = list("/Groups?count=3&cursor=" + cursorOf(first, "nextCursor"));
        std::set<std::string> walked;
        for (const auto& page : {first, second}) {
            for (const auto& id : idsOf(page)) {
                walked.insert(id);
            }
        }
        CPPUNIT_ASSERT(walked == groups);
        CPPUNIT_ASSERT(!second->has("nextCursor") && second->has("previousCursor"));

        // The service says what it offers.
        const auto config =
            json((*_scim)("GET", "/ServiceProviderConfig").body)->getObject("pagination");
        CPPUNIT_ASSERT(config->getValue<bool>("cursor") && config->getValue<bool>("index"));
        CPPUNIT_ASSERT_EQUAL(std::string("index"),
                             config->getValue<std::string>("defaultPaginationMethod"));
        CPPUNIT_ASSERT_EQUAL(3600, config->getValue<int>("cursorTimeout"));
        CPPUNIT_ASSERT_EQUAL(200, config->getValue<int>("maxPageSize"));
    }

    void cursorsNotIssuedForTheQueryAreRefused() {
        for (int i = 0; i < 3; ++i) {
            newUser("refuse-" + std::to_string(i));
        }
        const std::string next = cursorOf(list("/Users?count=1&cursor="), "nextCursor");
        CPPUNIT_ASSERT(!next.empty());
        std::string tampered = next;
        tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
        const std::map<std::string, std::string> refusals{
            {"/Users?cursor=" + tampered, "invalidCursor"},
            {"/Users?cursor=not-a-cursor", "invalidCursor"},
            {"/Groups?cursor=" + next, "invalidCursor"},
            {"/Users?sortOrder=descending&cursor=" + next, "invalidCursor"},
            {"/Users?filter=" + encoded(R"(userName pr)") + "&cursor=" + next, "invalidCursor"},
            {"/Users?startIndex=2&cursor=", "invalidValue"},
            {"/Users?sortBy=userName&cursor=", "invalidValue"},
        };
        for (const auto& [path, scimType] : refusals) {
            const auto result = (*_scim)("GET", path);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path, 400, result.status);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path, scimType,
                                         json(result.body)->getValue<std::string>("scimType"));
            // Nothing of the cursor comes back in the error.
            CPPUNIT_ASSERT(result.body.find(next) == std::string::npos);
        }
        // A cursor keeps working after refusals, and index paging is untouched by cursors.
        CPPUNIT_ASSERT_EQUAL(std::size_t(1),
                             idsOf(list("/Users?cursor=" + next + "&count=1")).size());
        CPPUNIT_ASSERT_EQUAL(2, list("/Users?startIndex=2&count=1")->getValue<int>("startIndex"));
    }

  private:
    std::string newUser(const std::string& userName) {
        const auto result = (*_scim)("POST", "/Users", R"({"userName":")" + userName + "\"}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(result.body, 201, result.status);
        return json(result.body)->getValue<std::string>("id");
    }

    // The pages of a walk from `cursor` (GET path + cursor) along `link`, nextCursor or
    // previousCursor, each seen by `visit`; a walk that does not end fails.
    std::vector<Object::Ptr> walk(const std::string& path, std::string cursor, const char* link,
                                  const std::function<void(const Object::Ptr&)>& visit) {
        std::vector<Object::Ptr> pages;
        do {
            CPPUNIT_ASSERT_MESSAGE(path + " does not end", pages.size() < 100);
            pages.push_back(list(path + cursor));
            visit(pages.back());
            cursor = cursorOf(pages.back(), link);
        } while (!cursor.empty());
        return pages;
    }

    Object::Ptr list(const std::string& path) {
        const auto result = (*_scim)("GET", path);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(path + ": " + result.body, 200, result.status);
        return json(result.body);
    }

    std::unique_ptr<HostProcess> _host;
    std::unique_ptr<testing::ScimClient> _scim;
};

class PagingSQLiteTest : public PagingContract {
    CPPUNIT_TEST_SUB_SUITE(PagingSQLiteTest, PagingContract);
    CPPUNIT_TEST_SUITE_END();

  public:
    std::map<std::string, std::string> databaseProperties() override { return {}; }
};

class PagingMariaDBTest : public PagingContract {
    CPPUNIT_TEST_SUB_SUITE(PagingMariaDBTest, PagingContract);
    CPPUNIT_TEST_SUITE_END();

  public:
    std::map<std::string, std::string> databaseProperties() override {
        const auto server = testing::MariaDBServer::fromEnvironment();
        return server.hostProperties(
            server.freshDatabase("tim_e2e_paging_" + std::to_string(Poco::Process::id())));
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(PagingSQLiteTest, "PagingSQLiteTest");
CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(PagingMariaDBTest, "PagingMariaDBTest");
