// One client connection of timhost's front, on Boost.Beast: its event loop reads the request
// head (Beast's parser, with the host's limits and RequestFraming's stricter rules), hands the
// request to a worker, reads the body only when the handler asks for it ("100 Continue"
// then), and writes the answer, so that no worker ever waits on a slow client (on plain TCP the
// worker first sends what the socket takes without waiting: the client has its answer one
// thread hop sooner).
// Deadlines: the head (from the accept, or from a later request's first byte), the whole body,
// and the answer's write (a reader too slow is cut). Only HttpServer.cpp and HttpSession.cpp
// include this header: Beast's templates are compiled there alone.
#pragma once

#include "ClientLimit.h"
#include "HostSettings.h"
#include "HttpFrontend.h"
#include "LineThrottle.h"
#include "WorkerPool.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>

namespace timhost {

class SessionBase {
  public:
    virtual ~SessionBase() = default;
    // From any thread: an idle connection closes now, a busy one after its current answer.
    virtual void stop() = 0;
};

// What every session of one server shares.
struct FrontContext {
    FrontContext(const HttpSettings& settings, const RequestRouter& router, WorkerPool& workers,
                 ClientLimit& clients, Poco::Logger& logger)
        : settings(settings),
          router(router),
          workers(workers),
          clients(clients),
          cuts(logger),
          refusals(logger) {}

    const HttpSettings& settings;
    const RequestRouter& router;
    WorkerPool& workers;
    ClientLimit& clients;
    LineThrottle cuts;                     // deadlines that closed a connection
    LineThrottle refusals;                 // 503s: one kind of noise does not hide another
    std::atomic<int> open{0};              // connections
    std::atomic<std::size_t> buffered{0};  // answer bytes not yet written
    std::atomic<bool> stopping{false};
    std::mutex sessionsMutex;
    std::map<SessionBase*, std::weak_ptr<SessionBase>> sessions;
};

// Starts serving `socket`, accepted from `peer` and already counted (open, clients); TLS when
// `tls` is not null.
void startSession(boost::asio::ip::tcp::socket socket, const std::string& peer, FrontContext& front,
                  boost::asio::ssl::context* tls);

}  // namespace timhost
