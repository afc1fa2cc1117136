// Request ids and access lines: the client's id when it is a plain token, a new one otherwise;
// secrets in the query masked; one line naming status, scimType, latency and bytes.
#include "api/RequestLog.h"
#include "port/RequestContext.h"

#include <cppunit/extensions/HelperMacros.h>

#include <map>
#include <set>

namespace {

api::Request requestWith(const std::map<std::string, std::string>& headers) {
    api::Request request;
    request.method = "GET";
    request.path = "/tim/api/scim/Users";
    request.header = [headers](const std::string& name) -> std::optional<std::string> {
        const auto found = headers.find(name);
        return found == headers.end() ? std::nullopt : std::optional<std::string>(found->second);
    };
    return request;
}

bool isNewId(const std::string& id) {
    return id.size() == 16 && id.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

class RequestLogTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RequestLogTest);
    CPPUNIT_TEST(theClientsIdIsKeptWhenItIsAPlainToken);
    CPPUNIT_TEST(secretLookingQueryValuesAreMasked);
    CPPUNIT_TEST(anAccessLineNamesStatusScimTypeLatencyAndBytes);
    CPPUNIT_TEST(passwordsInErrorTextsAreMasked);
    CPPUNIT_TEST(aScopeSetsAndRestoresTheThreadsId);
    CPPUNIT_TEST_SUITE_END();

  public:
    void theClientsIdIsKeptWhenItIsAPlainToken() {
        CPPUNIT_ASSERT_EQUAL(std::string("entra-7f3a.b_2"),
                             api::requestIdOf(requestWith({{"X-Request-Id", "entra-7f3a.b_2"}})));
        std::set<std::string> made;
        for (const std::string& bad :
             {std::string(""), std::string("two words"), std::string("new\nline"),
              std::string(65, 'a'), std::string("[brackets]")}) {
            const std::string id = api::requestIdOf(requestWith({{"X-Request-Id", bad}}));
            CPPUNIT_ASSERT_MESSAGE(id, isNewId(id));
            made.insert(id);
        }
        const std::string none = api::requestIdOf(requestWith({}));
        CPPUNIT_ASSERT(isNewId(none));
        made.insert(none);
        CPPUNIT_ASSERT_EQUAL(std::size_t(6), made.size());  // each new id differs
    }

    void secretLookingQueryValuesAreMasked() {
        CPPUNIT_ASSERT_EQUAL(std::string("/p"), api::loggableTarget("/p", ""));
        CPPUNIT_ASSERT_EQUAL(
            std::string("/p?filter=userName%20eq%20%22a%22&access_token=***&count=5&apiKey=***&"
                        "Password=***&flag"),
            api::loggableTarget("/p",
                                "filter=userName%20eq%20%22a%22&access_token=eyJhbGci&"
                                "count=5&apiKey=k1&Password=hunter2&flag"));
    }

    void passwordsInErrorTextsAreMasked() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("Not connected to data source: host=db;port=3306;user=tim;password=***;"
                        "db=tim and PASSWORD=*** 'Password=***'"),
            api::withoutPasswords("Not connected to data source: host=db;port=3306;user=tim;"
                                  "password=s3cret;db=tim and PASSWORD=hunter2 'Password=q'"));
        CPPUNIT_ASSERT_EQUAL(std::string("no secret here"),
                             api::withoutPasswords("no secret here"));
        CPPUNIT_ASSERT_EQUAL(std::string("password=***"), api::withoutPasswords("password="));
    }

    void anAccessLineNamesStatusScimTypeLatencyAndBytes() {
        auto request = requestWith({});
        request.query = "filter=bad&token=abc";
        const auto error = api::Response::error(scim::badRequest("invalidFilter", "no"));
        CPPUNIT_ASSERT_EQUAL(
            "access GET /tim/api/scim/Users?filter=bad&token=*** 400 "
            "scimType=invalidFilter 12.3ms " +
                std::to_string(error.body.size()) + "B client=-",
            api::accessLine(request, error, 12.34));
        request.clientAddress = "192.0.2.7";
        api::Response ok;
        ok.body = "{}";
        CPPUNIT_ASSERT_EQUAL(std::string("access GET /tim/api/scim/Users?filter=bad&token=*** 200 "
                                         "scimType=- 0.4ms 2B client=192.0.2.7"),
                             api::accessLine(request, ok, 0.4));
    }

    void aScopeSetsAndRestoresTheThreadsId() {
        CPPUNIT_ASSERT_EQUAL(std::string(), port::currentRequestId());
        {
            const port::RequestScope outer("outer");
            CPPUNIT_ASSERT_EQUAL(std::string("outer"), port::currentRequestId());
            {
                const port::RequestScope inner("inner");
                CPPUNIT_ASSERT_EQUAL(std::string("inner"), port::currentRequestId());
            }
            CPPUNIT_ASSERT_EQUAL(std::string("outer"), port::currentRequestId());
        }
        CPPUNIT_ASSERT_EQUAL(std::string(), port::currentRequestId());
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(RequestLogTest, "RequestLogTest");
