// Clients that stall, stop half-way or send oversized headers, on raw sockets to timhost with
// the real plugin: a stalled connection is closed after http.readTimeoutSeconds while others
// are served, a body that never completes is refused and writes nothing, and header limits
// are answered by the host before any plugin runs.
#include "support/HostProcess.h"
#include "support/RawConnection.h"

#include <Poco/Timestamp.h>

#include <cppunit/extensions/HelperMacros.h>

using testing::HostProcess;
using testing::RawConnection;
using testing::statusLineOf;

class SlowClientTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SlowClientTest);
    CPPUNIT_TEST(stalledHeadersAreCutOffWhileOthersAreServed);
    CPPUNIT_TEST(aBodyThatStallsIsRefusedAndWritesNothing);
    CPPUNIT_TEST(aBodyCutShortIsRefusedAndWritesNothing);
    CPPUNIT_TEST(oversizedHeadersAre431FromTheHost);
    CPPUNIT_TEST_SUITE_END();

  public:
    void setUp() override {
        _host = std::make_unique<HostProcess>(std::vector<std::string>{"tim-scim"},
                                              std::map<std::string, std::string>{
                                                  {"http.readTimeoutSeconds", "1"},
                                              });
        _host->start();
        _send = std::make_unique<testing::ScimClient>(*_host);
        _token = _host->generateToken();
    }

    void tearDown() override {
        _send.reset();
        if (_host) {
            CPPUNIT_ASSERT_EQUAL(0, _host->stop());
        }
    }

    void stalledHeadersAreCutOffWhileOthersAreServed() {
        std::vector<std::unique_ptr<RawConnection>> stalled;
        for (int i = 0; i < 20; ++i) {
            stalled.push_back(std::make_unique<RawConnection>(*_host));
            stalled.back()->send("GET /tim/api/scim/Users HTTP/1.1\r\nHost: x\r\n");
        }
        CPPUNIT_ASSERT_EQUAL(200, (*_send)("GET", "/Users").status);
        const Poco::Timestamp started;
        for (auto& connection : stalled) {
            const auto answer = connection->readUntilClosed(5);
            CPPUNIT_ASSERT_MESSAGE("still open after 5 s", answer.has_value());
            CPPUNIT_ASSERT_EQUAL(std::string(), *answer);  // a request never read: no answer
        }
        CPPUNIT_ASSERT(started.elapsed() < 5000000);
        CPPUNIT_ASSERT_EQUAL(200, (*_send)("GET", "/Users").status);
    }

    void aBodyThatStallsIsRefusedAndWritesNothing() {
        RawConnection connection(*_host);
        connection.send(postHeaders(100) + R"({"userName":"stalled@example.com")");
        const auto answer = connection.readUntilClosed(5);
        CPPUNIT_ASSERT_MESSAGE(_host->log(), answer.has_value());
        assertRefusedAndNothingWritten(*answer, "stalled@example.com");
    }

    void aBodyCutShortIsRefusedAndWritesNothing() {
        // Valid JSON, but shorter than the Content-Length: the client stopped half-way.
        RawConnection connection(*_host);
        connection.send(postHeaders(100) + R"({"userName":"cut@example.com"})");
        connection.finishSending();
        const auto answer = connection.readUntilClosed(5);
        CPPUNIT_ASSERT_MESSAGE("still open after 5 s", answer.has_value());
        assertRefusedAndNothingWritten(*answer, "cut@example.com");
    }

    void oversizedHeadersAre431FromTheHost() {
        // The host reads the request head before any handler runs: a field over 8 KiB or more
        // than 100 fields is 431 and the connection closes.
        const std::vector<std::string> heads{
            "GET /tim/api/scim/Users HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(9000, 'a') +
                "\r\n\r\n",
            "GET /tim/api/scim/Users HTTP/1.1\r\nHost: x\r\n" + manyFields(101) + "\r\n"};
        for (const auto& head : heads) {
            RawConnection connection(*_host);
            connection.send(head);
            const auto answer = connection.readUntilClosed(5);
            CPPUNIT_ASSERT(answer.has_value());
            CPPUNIT_ASSERT_EQUAL(std::string("HTTP/1.1 431 Request Header Fields Too Large"),
                                 statusLineOf(*answer));
        }
        CPPUNIT_ASSERT(_host->running());
        CPPUNIT_ASSERT_EQUAL(200, (*_send)("GET", "/Users").status);
    }

  private:
    std::string postHeaders(int contentLength) const {
        return "POST /tim/api/scim/Users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + _token +
               "\r\nContent-Type: application/scim+json\r\nContent-Length: " +
               std::to_string(contentLength) + "\r\n\r\n";
    }

    static std::string manyFields(int n) {
        std::string fields;
        for (int i = 0; i < n; ++i) {
            fields += "X-Field-" + std::to_string(i) + ": v\r\n";
        }
        return fields;
    }

    void assertRefusedAndNothingWritten(const std::string& answer, const std::string& userName) {
        CPPUNIT_ASSERT_EQUAL_MESSAGE(answer, std::string("HTTP/1.1 400 Bad Request"),
                                     statusLineOf(answer));
        CPPUNIT_ASSERT_MESSAGE(answer, answer.find("\"status\":\"400\"") != std::string::npos);
        const auto found = (*_send)("GET", "/Users?filter=userName%20eq%20%22" + userName + "%22");
        CPPUNIT_ASSERT_MESSAGE(found.body,
                               found.body.find("\"totalResults\":0") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(_host->log(),
                               _host->log().find("HTTP handler failed") == std::string::npos);
    }

    std::unique_ptr<HostProcess> _host;
    std::unique_ptr<testing::ScimClient> _send;
    std::string _token;
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(SlowClientTest, "SlowClientTest");
