// At most `perClient` open connections per client address, decided when a connection is
// accepted, before it takes a queue slot or a worker: one client cannot starve the others.
// Trusted proxies carry many clients and are exempt.
#pragma once

#include <Poco/Logger.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/Timestamp.h>

#include <map>
#include <mutex>
#include <set>
#include <string>

namespace timhost {

class ClientLimit : public Poco::Net::TCPServerConnectionFilter {
  public:
    using Ptr = Poco::AutoPtr<ClientLimit>;

    ClientLimit(int perClient, int maxQueued, std::set<std::string> exempt, Poco::Logger& logger)
        : _perClient(perClient),
          _maxQueued(maxQueued),
          _exempt(std::move(exempt)),
          _logger(logger) {}

    // The server whose queue the filter watches (it refuses when the queue is full, so that
    // every connection it counts reaches a worker and is released).
    void watch(const Poco::Net::TCPServer& server) { _server = &server; }

    // Called by the acceptor thread for each new connection.
    bool accept(const Poco::Net::StreamSocket& socket) override;

    // Called when the connection on `fd` (as accepted: the socket may be closed by now) ends.
    void closed(poco_socket_t fd);

  private:
    const int _perClient;
    const int _maxQueued;
    const std::set<std::string> _exempt;
    Poco::Logger& _logger;
    Poco::Timestamp _lastWarning{0};  // refusals are logged at most once a second
    const Poco::Net::TCPServer* _server = nullptr;
    std::mutex _mutex;
    std::map<std::string, int> _open;               // client address -> connections
    std::map<poco_socket_t, std::string> _counted;  // socket -> its client
};

}  // namespace timhost
