// timhost's front door against clients that hold connections without a token, from several
// loopback addresses at once (the attacks of issue 33): idle keep-alive connections, heads
// trickled a byte a second, and readers that pipeline requests and never read. Meanwhile an
// ordinary client from another address is answered within a second, and the host keeps few
// threads; a reader that reads nothing is cut at the write deadline; past the connection cap
// the host answers 503 with Retry-After; an answer larger than the socket takes at once arrives
// whole.
#include "support/HostProcess.h"
#include "support/RawConnection.h"

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <memory>
#include <thread>
#include <vector>

using testing::HostProcess;
using testing::RawConnection;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// Threads and resident memory (KiB) of a process, from /proc.
struct ProcessState {
    int threads = 0;
    long rssKb = 0;
};

ProcessState stateOf(long pid) {
    ProcessState state;
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(status, line);) {
        if (line.rfind("Threads:", 0) == 0) {
            state.threads = std::stoi(line.substr(8));
        } else if (line.rfind("VmRSS:", 0) == 0) {
            state.rssKb = std::stol(line.substr(6));
        }
    }
    return state;
}

// A connection opened without waiting for the host: the attacks open hundreds at once.
std::unique_ptr<Poco::Net::StreamSocket> openFrom(const std::string& address, int port) {
    auto socket = std::make_unique<Poco::Net::StreamSocket>(Poco::Net::SocketAddress::IPv4);
    socket->impl()->bind(Poco::Net::SocketAddress(address, 0), false);
    socket->connectNB(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
    return socket;
}

void sendQuietly(Poco::Net::StreamSocket& socket, const std::string& bytes) {
    try {
        socket.sendBytes(bytes.data(), static_cast<int>(bytes.size()), MSG_DONTWAIT);
    } catch (const Poco::Exception&) {
        // cut by the host, or its buffer full: an attacker does not care
    }
}

// A connection that pipelines one request over and over without reading: whole requests only
// (a send the buffers cut short is finished on the next turn), so the host sees a valid stream.
struct Pipeliner {
    std::unique_ptr<Poco::Net::StreamSocket> socket;
    std::string pending;

    void push(const std::string& request) {
        if (pending.empty()) {
            pending = request;
        }
        try {
            const int sent =
                socket->sendBytes(pending.data(), static_cast<int>(pending.size()), MSG_DONTWAIT);
            pending.erase(0, sent > 0 ? static_cast<std::size_t>(sent) : 0);
        } catch (const Poco::Exception&) {
            // full (the host stopped reading) or cut: the attacker goes on
        }
    }
};

// The attacker's address for connection `i` of `count`, spread over `addresses` of 127.0.0.x.
std::string attackerAddress(int i, int addresses) {
    return "127.0.0." + std::to_string(10 + i % addresses);
}

}  // namespace

class FrontDoorTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(FrontDoorTest);
    CPPUNIT_TEST(idleConnectionsCostNoThread);
    CPPUNIT_TEST(trickledHeadsLeaveOthersServed);
    CPPUNIT_TEST(readersThatNeverReadAreCutAndLeaveOthersServed);
    CPPUNIT_TEST(pastTheConnectionCapTheAnswerIs503WithRetryAfter);
    CPPUNIT_TEST(aStopDoesNotWaitForHeadsStillArriving);
    CPPUNIT_TEST(headsOfThousandsOfFieldsAreRefusedCheaply);
    CPPUNIT_TEST(anAnswerTheSocketCannotTakeAtOnceArrivesWhole);
    CPPUNIT_TEST(anAnswerHttpCannotCarryIs500AndTheHostServesOn);
    CPPUNIT_TEST_SUITE_END();

  public:
    void idleConnectionsCostNoThread() {
        HostProcess host({"echo_plugin"}, {{"http.maxConnectionsPerClient", "100"}});
        host.start();
        const long before = stateOf(host.pid()).rssKb;
        std::vector<std::unique_ptr<Poco::Net::StreamSocket>> held;
        for (int i = 0; i < 2000; ++i) {
            held.push_back(openFrom(attackerAddress(i, 40), host.port()));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        for (auto& socket : held) {
            sendQuietly(*socket, "GET /echo HTTP/1.1\r\nHost: x\r\n\r\n");  // answers unread
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        assertOrdinaryRequestsAnswered(host);
        const ProcessState during = stateOf(host.pid());
        CPPUNIT_ASSERT_MESSAGE(std::to_string(during.threads), during.threads <= 64);
        // 2,000 connections in a few KiB each (one thread per connection took 259 threads).
        CPPUNIT_ASSERT_MESSAGE(std::to_string(during.rssKb - before),
                               during.rssKb - before < 64 * 1024);
        held.clear();
        CPPUNIT_ASSERT_EQUAL(0, host.stop());
    }

    void trickledHeadsLeaveOthersServed() {
        HostProcess host({"echo_plugin"}, {{"http.headerTimeoutSeconds", "3"}});
        host.start();
        std::atomic<bool> attacking{true};
        // 8 addresses x 60 connections, a byte a second each, reconnecting when cut.
        std::thread attacker([&] {
            const std::string head = "GET /echo HTTP/1.1\r\nHost: x\r\nX-Slow: ";
            std::vector<std::unique_ptr<Poco::Net::StreamSocket>> sockets;
            std::vector<std::size_t> sent;
            for (int i = 0; i < 480; ++i) {
                sockets.push_back(openFrom(attackerAddress(i, 8), host.port()));
                sent.push_back(0);
            }
            while (attacking) {
                for (std::size_t i = 0; i < sockets.size(); ++i) {
                    try {
                        sockets[i]->sendBytes(&head[sent[i] % head.size()], 1, MSG_DONTWAIT);
                        ++sent[i];
                    } catch (const Poco::Exception&) {
                        sockets[i] = openFrom(attackerAddress(static_cast<int>(i), 8), host.port());
                        sent[i] = 0;
                    }
                }
                std::this_thread::sleep_for(std::chrono::seconds(1));
            }
        });
        std::this_thread::sleep_for(std::chrono::milliseconds(1500));
        assertOrdinaryRequestsAnswered(host, 5);  // across the head deadline's cuts
        CPPUNIT_ASSERT(stateOf(host.pid()).threads <= 64);
        attacking = false;
        attacker.join();
        CPPUNIT_ASSERT_EQUAL(0, host.stop());
        CPPUNIT_ASSERT_MESSAGE(host.log(), contains(host.log(), "sent no complete request head"));
    }

    void readersThatNeverReadAreCutAndLeaveOthersServed() {
        HostProcess host({"echo_plugin"}, {{"http.writeTimeoutSeconds", "2"},
                                           {"http.keepAliveMaxRequests", "100000"}});
        host.start();
        // 5 addresses x 55 connections pipelining requests whose 404 echoes a 7 KB path.
        const std::string request =
            "GET /" + std::string(7000, 'x') + " HTTP/1.1\r\nHost: x\r\n\r\n";
        std::vector<Pipeliner> readers;
        for (int i = 0; i < 275; ++i) {
            readers.push_back(Pipeliner{openFrom(attackerAddress(i, 5), host.port()), ""});
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        for (int round = 0; round < 40; ++round) {
            for (auto& reader : readers) {
                reader.push(request);
            }
        }
        assertOrdinaryRequestsAnswered(host);
        CPPUNIT_ASSERT(stateOf(host.pid()).threads <= 64);
        // Cut at the write deadline: a reader that reads nothing, sending until the buffers on
        // both sides are full.
        Pipeliner silent{openFrom("127.0.0.9", host.port()), ""};
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(3);
        while (std::chrono::steady_clock::now() < until) {
            silent.push(request);
        }
        CPPUNIT_ASSERT(testing::eventually(
            [&] { return contains(host.log(), "did not read its answer within 2 s"); }, 10000));
        readers.clear();
        CPPUNIT_ASSERT_EQUAL(0, host.stop());
    }

    void pastTheConnectionCapTheAnswerIs503WithRetryAfter() {
        HostProcess host({"echo_plugin"}, {{"http.maxConnections", "10"}});
        host.start();
        // Twelve idle connections where ten may be open: at least two are refused at accept.
        std::vector<std::unique_ptr<RawConnection>> held;
        for (int i = 0; i < 12; ++i) {
            held.push_back(std::make_unique<RawConnection>(host, attackerAddress(i, 5)));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        int refused = 0;
        for (auto& connection : held) {
            if (!connection->readable()) {
                continue;  // open and idle
            }
            const auto answer = connection->readUntilClosed(5);
            CPPUNIT_ASSERT(answer.has_value());
            CPPUNIT_ASSERT_EQUAL(std::string("HTTP/1.1 503 Service Unavailable"),
                                 testing::statusLineOf(*answer));
            CPPUNIT_ASSERT_MESSAGE(*answer, contains(*answer, "Retry-After: 1\r\n"));
            ++refused;
        }
        CPPUNIT_ASSERT_MESSAGE(std::to_string(refused), refused >= 2);
        held.clear();  // room again
        CPPUNIT_ASSERT(
            testing::eventually([&] { return host.request("GET", "/echo").status == 200; }, 5000));
        CPPUNIT_ASSERT_MESSAGE(host.log(), contains(host.log(), "(http.maxConnections)"));
        CPPUNIT_ASSERT_EQUAL(0, host.stop());
    }

    void aStopDoesNotWaitForHeadsStillArriving() {
        HostProcess host({"echo_plugin"}, {{"http.headerTimeoutSeconds", "20"}});
        host.start();
        RawConnection trickling(host, "127.0.0.10");
        trickling.send("GET /echo HTTP/1.1\r\nHost: x\r\n");  // and nothing more
        RawConnection idle(host, "127.0.0.11");
        idle.send("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n");
        CPPUNIT_ASSERT(!idle.readAvailable(5).empty());
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        const auto started = std::chrono::steady_clock::now();
        CPPUNIT_ASSERT_EQUAL(0, host.stop());
        const double took =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        CPPUNIT_ASSERT_MESSAGE(std::to_string(took) + " s", took < 5.0);
    }

    // 64 KiB of head holds 16,000 empty fields: refused (431) before any is copied, so that a
    // stream of them does not hold an event loop.
    void headsOfThousandsOfFieldsAreRefusedCheaply() {
        HostProcess host({"echo_plugin"});
        host.start();
        std::string head = "GET /echo HTTP/1.1\r\nHost: x\r\n";
        while (head.size() < 60 * 1024) {
            head += "a:\r\n";
        }
        head += "\r\n";
        std::atomic<bool> attacking{true};
        std::atomic<int> refused{0};
        std::atomic<int> otherwise{0};
        std::thread attacker([&] {
            while (attacking) {
                try {
                    RawConnection connection(host, "127.0.0.12");
                    connection.send(head);
                    const auto answer = connection.readUntilClosed(5);
                    const bool is431 = answer && testing::statusLineOf(*answer) ==
                                                     "HTTP/1.1 431 Request Header Fields Too Large";
                    ++(is431 ? refused : otherwise);
                } catch (const Poco::Exception&) {
                    // the host closed first: again
                }
            }
        });
        assertOrdinaryRequestsAnswered(host);
        attacking = false;
        attacker.join();
        CPPUNIT_ASSERT(refused > 0);
        CPPUNIT_ASSERT_EQUAL(0, otherwise.load());
        CPPUNIT_ASSERT_EQUAL(0, host.stop());
    }

    // A worker sends what the socket takes at once and the event loop the rest: a 4 MiB answer
    // to a client that reads nothing for a second arrives whole, and the connection then
    // serves its next request.
    void anAnswerTheSocketCannotTakeAtOnceArrivesWhole() {
        HostProcess host({"echo_plugin"});
        host.start();
        std::string body(4 * 1024 * 1024, ' ');
        for (std::size_t i = 0; i < body.size(); ++i) {
            body[i] = static_cast<char>('a' + i % 26);
        }
        RawConnection client(host, "127.0.0.13");
        client.send(
            "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
            "Content-Length: " +
            std::to_string(body.size()) + "\r\n\r\n" + body);
        std::this_thread::sleep_for(std::chrono::seconds(1));
        client.send("GET /echo?next HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        const auto answers = client.readUntilClosed(20);
        CPPUNIT_ASSERT(answers.has_value());
        CPPUNIT_ASSERT_EQUAL(std::string("HTTP/1.1 200 OK"), testing::statusLineOf(*answers));
        const std::string first = "\r\n\r\nPOST|||" + body + "HTTP/1.1 200 OK\r\n";
        CPPUNIT_ASSERT(contains(*answers, first));
        CPPUNIT_ASSERT(contains(*answers, "\r\n\r\nGET|next||"));
        CPPUNIT_ASSERT_EQUAL(0, host.stop());
    }

    // A plugin's header value of 70,000 bytes is more than an HTTP/1.1 field holds here: the
    // client gets a 500 (not a crashed host), and the next answers go out.
    void anAnswerHttpCannotCarryIs500AndTheHostServesOn() {
        HostProcess host({"echo_plugin"});
        host.start();
        CPPUNIT_ASSERT_EQUAL(500, host.request("GET", "/echo/header?70000").status);
        const auto fine = host.request("GET", "/echo/header?100");
        CPPUNIT_ASSERT_EQUAL(200, fine.status);
        CPPUNIT_ASSERT_EQUAL(std::string("header set"), fine.body);
        CPPUNIT_ASSERT_MESSAGE(host.log(),
                               contains(host.log(), "the handler's answer could not be written"));
        CPPUNIT_ASSERT_EQUAL(0, host.stop());
    }

  private:
    // Ordinary requests from 127.0.0.200, each on a new connection, each answered within 1 s;
    // `seconds` of them, four a second.
    static void assertOrdinaryRequestsAnswered(const HostProcess& host, int seconds = 2) {
        for (int i = 0; i < seconds * 4; ++i) {
            const auto started = std::chrono::steady_clock::now();
            RawConnection ordinary(host, "127.0.0.200");
            ordinary.send("GET /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            const auto answer = ordinary.readUntilClosed(5);
            const double took =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            CPPUNIT_ASSERT_MESSAGE("no answer", answer.has_value());
            CPPUNIT_ASSERT_EQUAL(std::string("HTTP/1.1 200 OK"), testing::statusLineOf(*answer));
            CPPUNIT_ASSERT_MESSAGE(std::to_string(took) + " s", took < 1.0);
            std::this_thread::sleep_for(std::chrono::milliseconds(250));
        }
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(FrontDoorTest, "FrontDoorTest");
