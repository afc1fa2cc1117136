#include "HttpServer.h"

#include "HttpSession.h"
#include "TlsContext.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>

#include <Poco/Exception.h>
#include <Poco/Logger.h>
#include <Poco/Net/SocketAddress.h>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <thread>
#include <vector>

namespace timhost {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kStopGrace = std::chrono::seconds(30);

// Written without waiting on a connection refused at accept: the loop never blocks on it.
const std::string& busyAnswer() {
    static const std::string answer = [] {
        const std::string body =
            R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"503",)"
            R"("detail":"The server is at its connection limit; retry shortly"})";
        return "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nServer: timhost\r\n"
               "Content-Type: application/json\r\nContent-Length: " +
               std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
    }();
    return answer;
}

tcp::endpoint endpointOf(const HttpSettings& settings) {
    try {
        const Poco::Net::SocketAddress address(settings.address,
                                               static_cast<Poco::UInt16>(settings.port));
        return {asio::ip::make_address(address.host().toString()),
                static_cast<unsigned short>(settings.port)};
    } catch (const std::exception& e) {
        throw Poco::IOException("cannot listen on " + settings.address + ": " + e.what());
    }
}

// Each connection is a file descriptor: the soft limit (1024 by default) is raised toward the
// hard one, so that http.maxConnections, not the limit, decides.
void allowDescriptors(int maxConnections) {
    struct rlimit limit {};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        return;
    }
    const rlim_t wanted = static_cast<rlim_t>(maxConnections) + 256;  // files, plugins, db
    if (limit.rlim_cur >= wanted) {
        return;
    }
    limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? wanted : std::min(wanted, limit.rlim_max);
    ::setrlimit(RLIMIT_NOFILE, &limit);
    if (limit.rlim_cur < wanted) {
        Poco::Logger::get("timhost.http")
            .warning(
                "the file descriptor limit (%lu) is below http.maxConnections (%d): "
                "raise LimitNOFILE",
                static_cast<unsigned long>(limit.rlim_cur), maxConnections);
    }
}

}  // namespace

struct HttpServer::Impl {
    Impl(const HttpSettings& httpSettings, const RequestRouter& router)
        : settings(httpSettings),
          logger(Poco::Logger::get("timhost.http")),
          clientRefusals(logger),
          acceptErrors(logger),
          clients(settings.maxConnectionsPerClient, settings.trustedProxies, clientRefusals),
          workers(settings.workerThreads, static_cast<std::size_t>(settings.maxQueued)),
          front(settings, router, workers, clients, logger),
          tls(settings.tlsEnabled() ? std::optional<asio::ssl::context>(tlsContext(settings))
                                    : std::nullopt),
          io(settings.ioThreads),
          work(asio::make_work_guard(io)),
          acceptor(asio::make_strand(io)) {
        allowDescriptors(settings.maxConnections);
        const tcp::endpoint endpoint = endpointOf(settings);
        try {
            acceptor.open(endpoint.protocol());
            acceptor.set_option(tcp::acceptor::reuse_address(true));
            acceptor.bind(endpoint);
            acceptor.listen(asio::socket_base::max_listen_connections);
        } catch (const boost::system::system_error& e) {
            throw Poco::IOException("cannot listen on " + settings.address + ":" +
                                    std::to_string(settings.port) + ": " + e.what());
        }
    }

    void accept() {
        acceptor.async_accept(
            asio::make_strand(io), [this](boost::system::error_code ec, tcp::socket socket) {
                if (!acceptor.is_open()) {
                    return;  // stopping
                }
                if (ec) {
                    // Out of file descriptors, most likely: pause instead of spinning on it.
                    acceptErrors.warning("cannot accept a connection: " + ec.message() + " (" +
                                         std::to_string(front.open.load()) + " open)");
                    acceptPause.expires_after(std::chrono::milliseconds(100));
                    acceptPause.async_wait([this](boost::system::error_code) { accept(); });
                    return;
                }
                admit(std::move(socket));
                accept();
            });
    }

    void admit(tcp::socket socket) {
        boost::system::error_code ec;
        const auto remote = socket.remote_endpoint(ec);
        if (ec) {
            return;  // gone already
        }
        const std::string peer = remote.address().to_string();
        if (front.open >= settings.maxConnections || front.buffered > settings.maxBufferedBytes) {
            front.refusals.warning("refused a connection from " + peer +
                                   " with 503: " + std::to_string(front.open.load()) +
                                   " connections open (http.maxConnections), " +
                                   std::to_string(front.buffered.load()) +
                                   " answer bytes unwritten (http.maxBufferedBytes)");
            socket.non_blocking(true, ec);
            if (!tls) {
                socket.write_some(asio::buffer(busyAnswer()), ec);
            }
            socket.shutdown(tcp::socket::shutdown_send, ec);
            // What the client already sent is read and dropped: closing on unread bytes would
            // reset the connection, and a reset can destroy the 503 before it is read.
            char drain[4096];
            while (socket.read_some(asio::buffer(drain), ec) > 0 && !ec) {
            }
            return;
        }
        if (!clients.tryOpen(peer)) {
            return;  // the socket closes as it goes out of scope
        }
        ++front.open;
        socket.set_option(tcp::no_delay(true), ec);  // an answer's last segment goes out at once
        startSession(std::move(socket), peer, front, tls ? &*tls : nullptr);
    }

    // In this order: the sessions the io context still owns when it is destroyed use what
    // is declared before it.
    const HttpSettings settings;
    Poco::Logger& logger;
    LineThrottle clientRefusals;
    LineThrottle acceptErrors;
    ClientLimit clients;
    WorkerPool workers;
    FrontContext front;
    std::optional<asio::ssl::context> tls;
    asio::io_context io;
    asio::executor_work_guard<asio::io_context::executor_type> work;
    tcp::acceptor acceptor;  // on a strand: accept and close never run at once
    asio::steady_timer acceptPause{acceptor.get_executor()};
    std::vector<std::thread> loops;
};

HttpServer::HttpServer(const HttpSettings& settings, const RequestRouter& router)
    : _impl(std::make_unique<Impl>(settings, router)) {}

HttpServer::~HttpServer() {
    stop();
}

unsigned HttpServer::port() const {
    boost::system::error_code ec;
    const auto local = _impl->acceptor.local_endpoint(ec);
    return ec ? _impl->settings.port : local.port();
}

void HttpServer::start() {
    _impl->accept();
    for (int i = 0; i < _impl->settings.ioThreads; ++i) {
        _impl->loops.emplace_back([this] { _impl->io.run(); });
    }
}

void HttpServer::stop() {
    Impl& impl = *_impl;
    if (impl.loops.empty()) {
        return;
    }
    asio::post(impl.acceptor.get_executor(), [&impl] {
        boost::system::error_code ignored;
        impl.acceptor.close(ignored);
    });
    impl.front.stopping = true;
    const auto until = std::chrono::steady_clock::now() + kStopGrace;
    for (;;) {
        std::vector<std::shared_ptr<SessionBase>> live;
        {
            std::lock_guard<std::mutex> lock(impl.front.sessionsMutex);
            for (const auto& entry : impl.front.sessions) {
                if (auto session = entry.second.lock()) {
                    live.push_back(std::move(session));
                }
            }
        }
        if (live.empty() || std::chrono::steady_clock::now() >= until) {
            break;
        }
        for (const auto& session : live) {
            session->stop();
        }
        live.clear();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    impl.workers.stop();
    impl.work.reset();
    impl.io.stop();
    for (auto& loop : impl.loops) {
        loop.join();
    }
    impl.loops.clear();
}

}  // namespace timhost
