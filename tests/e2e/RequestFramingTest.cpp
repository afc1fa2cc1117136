// How timhost reads requests from a hostile network, on raw sockets: bodies framed in two ways
// or not at all are refused before anything is read (RFC 9112 §6), a chunked body is acted on
// only when it arrives whole, a head or body trickled in byte by byte is cut off at its
// deadline, one client cannot take the workers of a small pool, and "100 Continue" is sent
// only to a client whose head was accepted.
#include "support/HostProcess.h"
#include "support/RawConnection.h"

#include <Poco/String.h>
#include <Poco/Thread.h>
#include <Poco/Timestamp.h>

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <memory>
#include <thread>

using testing::HostProcess;
using testing::RawConnection;
using testing::statusLineOf;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

std::string chunk(const std::string& data) {
    char size[32];
    std::snprintf(size, sizeof size, "%zx", data.size());
    return std::string(size) + "\r\n" + data + "\r\n";
}

}  // namespace

class RequestFramingTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RequestFramingTest);
    CPPUNIT_TEST(ambiguousOrMissingFramingIsRefusedAndActsOnNothing);
    CPPUNIT_TEST(aChunkedBodyIsActedOnOnlyWhenWhole);
    CPPUNIT_TEST(aTrickledHeadIsCutOffAtItsDeadline);
    CPPUNIT_TEST(aHeadCutShortIsNeverActedOn);
    CPPUNIT_TEST(aTrickledBodyIsCutOffAtItsDeadline);
    CPPUNIT_TEST(slowClientsCannotTakeASmallPool);
    CPPUNIT_TEST(continueIsSentOnlyToAnAcceptedHead);
    CPPUNIT_TEST_SUITE_END();

  public:
    void tearDown() override {
        if (_host && _host->running()) {
            CPPUNIT_ASSERT_EQUAL(0, _host->stop());
        }
        _host.reset();
    }

    void ambiguousOrMissingFramingIsRefusedAndActsOnNothing() {
        startHost({});
        const std::string body = R"({"userName":"framed"})";
        const std::string length = std::to_string(body.size());
        struct Case {
            std::string head;
            std::string rest;
            std::string status;
        };
        const std::vector<Case> cases = {
            {"Content-Length: " + length + "\r\nTransfer-Encoding: chunked\r\n",
             chunk(body) + "0\r\n\r\n", "HTTP/1.1 400 Bad Request"},
            {"Transfer-Encoding: chunked\r\nContent-Length: " + length + "\r\n", body,
             "HTTP/1.1 400 Bad Request"},
            {"Content-Length: " + length + "\r\nContent-Length: " + length + "\r\n", body,
             "HTTP/1.1 400 Bad Request"},
            {"Content-Length: +" + length + "\r\n", body, "HTTP/1.1 400 Bad Request"},
            {"Content-Length: " + length + ", " + length + "\r\n", body,
             "HTTP/1.1 400 Bad Request"},
            {"Transfer-Encoding: gzip, chunked\r\n", chunk(body) + "0\r\n\r\n",
             "HTTP/1.1 501 Not Implemented"},
            {"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
             chunk(body) + "0\r\n\r\n", "HTTP/1.1 501 Not Implemented"},
            {"", body, "HTTP/1.1 411 Length Required"},  // read-to-close bodies are not read
        };
        for (const auto& c : cases) {
            RawConnection connection(*_host);
            connection.send(postHead(c.head) + c.rest);
            connection.finishSending();
            const auto answer = connection.readUntilClosed(5);
            CPPUNIT_ASSERT_MESSAGE(c.head, answer.has_value());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.head, c.status, statusLineOf(*answer));
            CPPUNIT_ASSERT_MESSAGE(*answer, contains(Poco::toLower(*answer), "connection: close"));
        }
        assertNoUser("framed");
    }

    void aChunkedBodyIsActedOnOnlyWhenWhole() {
        startHost({});
        const std::string body = R"({"userName":"chunked.whole"})";
        const std::vector<std::pair<std::string, std::string>> broken = {
            {"without its last chunk", chunk(R"({"userName":"chunked.cut"})")},
            {"a chunk shorter than declared",
             "40\r\n" + std::string(R"({"userName":"chunked.short"})")},
            {"a chunk longer than declared",
             "5\r\n" + std::string(R"({"userName":"chunked.long"})") + "\r\n0\r\n\r\n"},
            {"a bare LF", "1c\n" + std::string(R"({"userName":"chunked.lf"})") + "\n0\n\n"},
            {"no size", "\r\n" + std::string(R"({"userName":"chunked.nosize"})")},
        };
        for (const auto& [what, bytes] : broken) {
            RawConnection connection(*_host);
            connection.send(postHead("Transfer-Encoding: chunked\r\n") + bytes);
            connection.finishSending();
            const auto answer = connection.readUntilClosed(5);
            CPPUNIT_ASSERT_MESSAGE(what, answer.has_value());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(what, std::string("HTTP/1.1 400 Bad Request"),
                                         statusLineOf(*answer));
        }
        for (const char* userName :
             {"chunked.cut", "chunked.short", "chunked.long", "chunked.lf", "chunked.nosize"}) {
            assertNoUser(userName);
        }
        // Whole, in two chunks with an extension and a trailer field: acted on.
        RawConnection connection(*_host);
        connection.send(postHead("Transfer-Encoding: chunked\r\n") + "a;ext=1\r\n" +
                        body.substr(0, 10) + "\r\n" + chunk(body.substr(10)) +
                        "0\r\nX-Trailer: t\r\n\r\n");
        const auto answer = connection.readUntilClosed(5);
        CPPUNIT_ASSERT(answer.has_value());
        CPPUNIT_ASSERT_EQUAL(std::string("HTTP/1.1 201 Created"), statusLineOf(*answer));
    }

    void aTrickledHeadIsCutOffAtItsDeadline() {
        startHost({{"http.headerTimeoutSeconds", "2"}, {"http.readTimeoutSeconds", "30"}});
        RawConnection connection(*_host);
        const std::string head = "GET /tim/api/scim/Users HTTP/1.1\r\nHost: x\r\nX-Slow: ";
        const Poco::Timestamp started;
        std::optional<std::string> answer;
        // One byte every 300 ms: the read timeout never fires.
        for (std::size_t i = 0; i < 40 && !answer; ++i) {
            try {
                connection.send(std::string(1, i < head.size() ? head[i] : 'a'));
            } catch (const Poco::Exception&) {
                break;  // closed by the host
            }
            Poco::Thread::sleep(300);
            if (connection.readable()) {
                answer = connection.readUntilClosed(2);
            }
        }
        if (!answer) {
            answer = connection.readUntilClosed(2);
        }
        CPPUNIT_ASSERT_MESSAGE("still open after 12 s of trickling", answer.has_value());
        CPPUNIT_ASSERT_EQUAL(std::string(), *answer);
        CPPUNIT_ASSERT(started.elapsed() < 5 * Poco::Timespan::SECONDS);
        CPPUNIT_ASSERT(testing::eventually([&] {
            return contains(_host->log(), "127.0.0.1:") &&
                   contains(_host->log(), "sent no complete request head within 2 s");
        }));
    }

    void aHeadCutShortIsNeverActedOn() {
        startHost({{"http.headerTimeoutSeconds", "2"}});
        const auto created =
            _host->request("POST", "/tim/api/scim/Users", R"({"userName":"head.cut"})",
                           {{"Authorization", "Bearer " + _token}});
        CPPUNIT_ASSERT_EQUAL(201, created.status);
        const std::string id = created.body.substr(created.body.find("\"id\":\"") + 6, 36);
        const std::string head = "DELETE /tim/api/scim/Users/" + id +
                                 " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + _token +
                                 "\r\nX-Last: cut";
        {
            // The client stops sending before the blank line and half-closes.
            RawConnection connection(*_host);
            connection.send(head);
            connection.finishSending();
            const auto answer = connection.readUntilClosed(5);
            CPPUNIT_ASSERT(answer.has_value());
            CPPUNIT_ASSERT_EQUAL(std::string("HTTP/1.1 400 Bad Request"), statusLineOf(*answer));
        }
        {
            // The client stalls before the blank line until the head deadline cuts it.
            RawConnection connection(*_host);
            connection.send(head + "\r\n");
            CPPUNIT_ASSERT(connection.readUntilClosed(5).has_value());
        }
        CPPUNIT_ASSERT_EQUAL(200, _host
                                      ->request("GET", "/tim/api/scim/Users/" + id, "",
                                                {{"Authorization", "Bearer " + _token}})
                                      .status);
    }

    void aTrickledBodyIsCutOffAtItsDeadline() {
        startHost({{"http.bodyTimeoutSeconds", "2"}, {"http.readTimeoutSeconds", "30"}});
        const std::string body =
            R"({"userName":"trickled","title":")" + std::string(60, 't') + "\"}";
        RawConnection connection(*_host);
        connection.send(postHead("Content-Length: " + std::to_string(body.size()) + "\r\n"));
        const Poco::Timestamp started;
        std::optional<std::string> answer;
        for (std::size_t i = 0; i < body.size() - 1 && !answer; ++i) {
            try {
                connection.send(std::string(1, body[i]));
            } catch (const Poco::Exception&) {
                break;
            }
            Poco::Thread::sleep(200);
            if (connection.readable()) {
                answer = connection.readUntilClosed(2);
            }
        }
        if (!answer) {
            answer = connection.readUntilClosed(2);
        }
        CPPUNIT_ASSERT_MESSAGE("still open", answer.has_value());
        CPPUNIT_ASSERT_EQUAL(std::string("HTTP/1.1 400 Bad Request"), statusLineOf(*answer));
        CPPUNIT_ASSERT(started.elapsed() < 5 * Poco::Timespan::SECONDS);
        CPPUNIT_ASSERT(contains(_host->log(), "did not send its request body within 2 s"));
        assertNoUser("trickled");
    }

    void slowClientsCannotTakeASmallPool() {
        startHost({{"http.maxConnections", "4"},
                   {"http.maxQueued", "2"},
                   {"http.maxConnectionsPerClient", "2"},
                   {"http.headerTimeoutSeconds", "3"}});
        // The attack of the report: six connections from one client (127.0.0.2), each sending a
        // byte of its head every second, again and again.
        std::atomic<bool> attacking{true};
        std::vector<std::thread> attackers;
        for (int i = 0; i < 6; ++i) {
            attackers.emplace_back([&] {
                while (attacking) {
                    try {
                        RawConnection connection(*_host, "127.0.0.2");
                        for (char c : std::string("GET /tim/api/scim/Users HTTP/1.1\r\nX: ")) {
                            if (!attacking) {
                                break;
                            }
                            connection.send(std::string(1, c));
                            Poco::Thread::sleep(1000);
                        }
                    } catch (const Poco::Exception&) {
                        Poco::Thread::sleep(100);  // refused or cut off: again
                    }
                }
            });
        }
        Poco::Thread::sleep(1500);
        const std::string token = _host->generateToken();
        int answered = 0;
        int failed = 0;
        const Poco::Timestamp started;
        while (started.elapsed() < 8 * Poco::Timespan::SECONDS) {
            try {
                const auto result = _host->request("GET", "/tim/api/scim/Users", "",
                                                   {{"Authorization", "Bearer " + token}});
                (result.status == 200 ? answered : failed) += 1;
            } catch (const Poco::Exception&) {
                ++failed;
            }
            Poco::Thread::sleep(250);
        }
        attacking = false;
        for (auto& attacker : attackers) {
            attacker.join();
        }
        CPPUNIT_ASSERT_EQUAL_MESSAGE(std::to_string(answered) + " answered", 0, failed);
        CPPUNIT_ASSERT(answered >= 20);
        CPPUNIT_ASSERT(contains(_host->log(), "refused a connection from 127.0.0.2"));
    }

    void continueIsSentOnlyToAnAcceptedHead() {
        startHost({});
        const std::string token = _host->generateToken();
        const std::string body = R"({"userName":"continued"})";
        const auto head = [&](const std::string& bearer) {
            return "POST /tim/api/scim/Users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                   bearer + "\r\nContent-Type: application/scim+json\r\nExpect: 100-continue\r\n" +
                   "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
        };
        {
            RawConnection refused(*_host);
            refused.send(head("forged"));
            const auto answer = refused.readUntilClosed(5);
            CPPUNIT_ASSERT(answer.has_value());
            CPPUNIT_ASSERT_EQUAL(std::string("HTTP/1.1 401 Unauthorized"), statusLineOf(*answer));
            CPPUNIT_ASSERT(!contains(*answer, "100 Continue"));
        }
        RawConnection accepted(*_host);
        accepted.send(head(token));
        const auto invited = accepted.readAvailable(5);
        CPPUNIT_ASSERT_EQUAL(std::string("HTTP/1.1 100 Continue"), statusLineOf(invited));
        accepted.send(body);
        accepted.finishSending();
        const auto answer = accepted.readUntilClosed(5);
        CPPUNIT_ASSERT(answer.has_value());
        CPPUNIT_ASSERT_MESSAGE(*answer, contains(*answer, "HTTP/1.1 201 Created"));
    }

  private:
    void startHost(const std::map<std::string, std::string>& properties) {
        _host = std::make_unique<HostProcess>(std::vector<std::string>{"tim-scim"}, properties);
        _host->start();
        _token = _host->generateToken();
    }

    std::string postHead(const std::string& framing) const {
        return "POST /tim/api/scim/Users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + _token +
               "\r\nContent-Type: application/scim+json\r\n" + framing + "\r\n";
    }

    void assertNoUser(const std::string& userName) const {
        const auto found = _host->request(
            "GET", "/tim/api/scim/Users?filter=userName%20eq%20%22" + userName + "%22", "",
            {{"Authorization", "Bearer " + _token}});
        CPPUNIT_ASSERT_EQUAL(200, found.status);
        CPPUNIT_ASSERT_MESSAGE(userName + ": " + found.body,
                               contains(found.body, "\"totalResults\":0"));
    }

    std::unique_ptr<HostProcess> _host;
    std::string _token;
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(RequestFramingTest, "RequestFramingTest");
