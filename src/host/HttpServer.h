// timhost's front door: a few event-loop threads (Boost.Asio over epoll) accept connections and
// do all their I/O (HttpSession); a fixed pool of workers runs the handlers. An idle or slow
// connection costs a little memory and no thread. At accept, past http.maxConnections open
// connections or http.maxBufferedBytes of answers waiting to be written, a connection is
// answered 503 with Retry-After and closed; past http.maxConnectionsPerClient from one address
// it is closed.
#pragma once

#include "HostSettings.h"
#include "HttpFrontend.h"

#include <memory>

namespace timhost {

class HttpServer {
  public:
    // Listens on http.address:http.port (never shared with another process: no SO_REUSEPORT).
    // Throws Poco::IOException when it cannot.
    HttpServer(const HttpSettings& settings, const RequestRouter& router);
    ~HttpServer();

    unsigned port() const;
    void start();
    // Stops accepting, lets each connection finish the request it serves, closes idle ones,
    // then joins every thread.
    void stop();

  private:
    struct Impl;
    std::unique_ptr<Impl> _impl;
};

}  // namespace timhost
