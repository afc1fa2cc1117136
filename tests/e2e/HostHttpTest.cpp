// timhost's HTTP behaviour with the echo plugin: routing, limits, connections, shutdown, TLS.
#include "support/HostProcess.h"
#include "support/TestDatabases.h"

#include <Poco/Net/AcceptCertificateHandler.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <Poco/Thread.h>

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <csignal>
#include <future>
#include <memory>
#include <thread>

using testing::HostProcess;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

int sendOn(Poco::Net::HTTPClientSession& session, const std::string& path, std::string& body) {
    Poco::Net::HTTPRequest request("GET", path, Poco::Net::HTTPMessage::HTTP_1_1);
    request.setKeepAlive(true);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    body.clear();
    Poco::StreamCopier::copyToString(in, body);
    return response.getStatus();
}

}  // namespace

class HostHttpTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(HostHttpTest);
    CPPUNIT_TEST(unknownPathIs404Json);
    CPPUNIT_TEST(routesMatchOnSegmentBoundaries);
    CPPUNIT_TEST(wrongMethodIs405WithAllow);
    CPPUNIT_TEST(oversizedBodyIs413);
    CPPUNIT_TEST(gracefulShutdownCompletesAnInFlightRequest);
    CPPUNIT_TEST(repeatedStopsFromTheStartAreGraceful);
    CPPUNIT_TEST(sixtyFourKeepAliveConnectionsAreAllAnswered);
    CPPUNIT_TEST(secondInstanceOnTheSamePortFailsToStart);
    CPPUNIT_TEST(servesTlsWhenACertificateIsConfigured);
    CPPUNIT_TEST_SUITE_END();

  public:
    void unknownPathIs404Json() {
        HostProcess host({"echo_plugin"});
        host.start();
        const auto result = host.request("GET", "/nothing/here?x=1");
        CPPUNIT_ASSERT_EQUAL(404, result.status);
        CPPUNIT_ASSERT_EQUAL(std::string("application/json"), result.header("content-type"));
        CPPUNIT_ASSERT_MESSAGE(result.body, contains(result.body, "\"status\":\"404\""));
    }

    void routesMatchOnSegmentBoundaries() {
        HostProcess host({"echo_plugin"});
        host.start();
        CPPUNIT_ASSERT_EQUAL(404, host.request("GET", "/echox").status);
        CPPUNIT_ASSERT_EQUAL(404, host.request("GET", "/ech").status);
        CPPUNIT_ASSERT_EQUAL(200, host.request("GET", "/echo/").status);
        CPPUNIT_ASSERT_EQUAL(200, host.request("GET", "/echo/a/b").status);
        // The longer prefix /echo/slow owns its subtree.
        CPPUNIT_ASSERT_EQUAL(std::string("slow done"), host.request("GET", "/echo/slow?1").body);
    }

    void wrongMethodIs405WithAllow() {
        HostProcess host({"echo_plugin"});
        host.start();
        const auto result = host.request("DELETE", "/echo");
        CPPUNIT_ASSERT_EQUAL(405, result.status);
        CPPUNIT_ASSERT_EQUAL(std::string("GET, POST"), result.header("allow"));
        CPPUNIT_ASSERT_EQUAL(405, host.request("POST", "/echo/slow", "x").status);
    }

    void oversizedBodyIs413() {
        HostProcess host({"echo_plugin"}, {{"http.maxBodyBytes", "1024"}});
        host.start();
        CPPUNIT_ASSERT_EQUAL(200, host.request("POST", "/echo", std::string(1024, 'a')).status);
        const auto declared = host.request("POST", "/echo", std::string(1025, 'a'));
        CPPUNIT_ASSERT_EQUAL(413, declared.status);
        CPPUNIT_ASSERT(contains(declared.body, "\"status\":\"413\""));

        // A chunked body declares no length: the limit is enforced while reading.
        Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(host.port()));
        Poco::Net::HTTPRequest request("POST", "/echo", Poco::Net::HTTPMessage::HTTP_1_1);
        request.setChunkedTransferEncoding(true);
        session.sendRequest(request) << std::string(4096, 'b');
        Poco::Net::HTTPResponse response;
        session.receiveResponse(response);
        CPPUNIT_ASSERT_EQUAL(413, static_cast<int>(response.getStatus()));
        CPPUNIT_ASSERT(host.running());
    }

    void gracefulShutdownCompletesAnInFlightRequest() {
        HostProcess host({"echo_plugin"});
        host.start();
        auto inFlight =
            std::async(std::launch::async, [&] { return host.request("GET", "/echo/slow?1500"); });
        Poco::Thread::sleep(300);
        const auto started = std::chrono::steady_clock::now();
        CPPUNIT_ASSERT_EQUAL(0, host.stop());
        const auto result = inFlight.get();
        CPPUNIT_ASSERT_EQUAL(200, result.status);
        CPPUNIT_ASSERT_EQUAL(std::string("slow done"), result.body);
        CPPUNIT_ASSERT(std::chrono::steady_clock::now() - started < std::chrono::seconds(10));
        CPPUNIT_ASSERT_MESSAGE(host.log(), contains(host.log(), "echo plugin shut down"));
    }

    // SIGTERM from the host's first log line on, every few milliseconds until it exits: while
    // the plugin starts, while the host waits, and while it stops. The first one stops it as
    // it always does (exit 0); the others must neither kill it nor cut its stop short.
    void repeatedStopsFromTheStartAreGraceful() {
        HostProcess host({"tim-scim"});
        host.launch();
        CPPUNIT_ASSERT(testing::eventually([&] { return !host.log().empty(); }));
        for (int i = 0; i < 2000 && host.running(); ++i) {
            ::kill(static_cast<pid_t>(host.pid()), SIGTERM);
            Poco::Thread::sleep(5);
        }
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host.log(), 0, host.waitForExit());
        CPPUNIT_ASSERT_MESSAGE(host.log(), contains(host.log(), "stopping: finishing in-flight"));
    }

    void sixtyFourKeepAliveConnectionsAreAllAnswered() {
        HostProcess host({"echo_plugin"});
        host.start();
        constexpr int kConnections = 64;
        std::vector<std::unique_ptr<Poco::Net::HTTPClientSession>> sessions;
        for (int i = 0; i < kConnections; ++i) {
            sessions.push_back(std::make_unique<Poco::Net::HTTPClientSession>(
                "127.0.0.1", static_cast<Poco::UInt16>(host.port())));
            sessions.back()->setKeepAlive(true);
            sessions.back()->setTimeout(Poco::Timespan(5, 0));
        }
        // Two rounds on every connection, all connections open at once the whole time.
        for (int round = 0; round < 2; ++round) {
            std::atomic<int> answered{0};
            std::vector<std::thread> clients;
            for (int i = 0; i < kConnections; ++i) {
                clients.emplace_back([&, i] {
                    try {
                        std::string body;
                        if (sendOn(*sessions[i], "/echo?c=" + std::to_string(i), body) == 200 &&
                            body == "GET|c=" + std::to_string(i) + "||") {
                            ++answered;
                        }
                    } catch (const Poco::Exception&) {
                    }
                });
            }
            for (auto& t : clients) {
                t.join();
            }
            CPPUNIT_ASSERT_EQUAL(kConnections, answered.load());
        }
    }

    void secondInstanceOnTheSamePortFailsToStart() {
        HostProcess first({"echo_plugin"});
        first.start();
        HostProcess second({"echo_plugin"}, {{"http.port", std::to_string(first.port())}});
        CPPUNIT_ASSERT_THROW(second.start(), Poco::IllegalStateException);
        CPPUNIT_ASSERT(second.waitForExit() != 0);
        CPPUNIT_ASSERT_MESSAGE(second.log(), contains(second.log(), "already in use"));
        CPPUNIT_ASSERT_EQUAL(200, first.request("GET", "/echo").status);
    }

    void servesTlsWhenACertificateIsConfigured() {
        const std::string dir = testing::temporaryDirectory("tls-");
        const std::string cert = dir + "/cert.pem";
        const std::string key = dir + "/key.pem";
        Poco::ProcessHandle openssl =
            Poco::Process::launch("openssl",
                                  {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                                   "-subj", "/CN=127.0.0.1", "-keyout", key, "-out", cert},
                                  dir, nullptr, nullptr, nullptr);
        CPPUNIT_ASSERT_EQUAL(0, openssl.wait());

        HostProcess host({"echo_plugin"},
                         {{"http.tls.certificateFile", cert}, {"http.tls.privateKeyFile", key}});
        host.start();
        Poco::Net::initializeSSL();
        Poco::Net::Context::Ptr context = new Poco::Net::Context(
            Poco::Net::Context::TLS_CLIENT_USE, "", Poco::Net::Context::VERIFY_NONE);
        Poco::Net::HTTPSClientSession session("127.0.0.1", static_cast<Poco::UInt16>(host.port()),
                                              context);
        std::string body;
        CPPUNIT_ASSERT_EQUAL(200, sendOn(session, "/echo", body));
        CPPUNIT_ASSERT_EQUAL(std::string("GET|||"), body);
        // Plain HTTP to the TLS port gets no HTTP answer.
        CPPUNIT_ASSERT_THROW(host.request("GET", "/echo"), Poco::Exception);
        Poco::Net::uninitializeSSL();
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(HostHttpTest, "HostHttpTest");
