// One client connection of timhost: the HTTP/1.1 request loop. Poco's HTTPServerConnection
// cannot bound a request head or body in time, frame bodies strictly or keep a refused client
// from being invited to send its body, so the host runs its own loop over Poco's session,
// head parser and response. What it adds: a deadline for the whole head and for the whole
// body (ConnectionWatchdog), the framing rules of RequestFraming, and a clean stop.
#pragma once

#include "ClientLimit.h"
#include "ConnectionWatchdog.h"
#include "HostSettings.h"
#include "HttpFrontend.h"

#include <Poco/Logger.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

#include <atomic>
#include <mutex>
#include <set>

namespace timhost {

class HttpConnection;

// Creates the connections of one server and stops them.
class HttpConnectionFactory : public Poco::Net::TCPServerConnectionFactory {
  public:
    HttpConnectionFactory(const RequestRouter& router, const HttpSettings& settings,
                          Poco::Net::HTTPServerParams::Ptr params, ClientLimit::Ptr clients);

    Poco::Net::TCPServerConnection* createConnection(
        const Poco::Net::StreamSocket& socket) override;

    // Lets each connection finish the request it is serving, then closes it; idle keep-alive
    // connections close at once.
    void stopAll();

  private:
    friend class HttpConnection;
    void add(HttpConnection* connection);
    void remove(HttpConnection* connection);

    const RequestRouter& _router;
    const HttpSettings _settings;
    const Poco::Net::HTTPServerParams::Ptr _params;
    ClientLimit::Ptr _clients;
    Poco::Logger& _logger;
    ConnectionWatchdog _watchdog;
    std::mutex _mutex;
    std::set<HttpConnection*> _connections;
    bool _stopped = false;
};

class HttpConnection : public Poco::Net::TCPServerConnection {
  public:
    HttpConnection(const Poco::Net::StreamSocket& socket, HttpConnectionFactory& factory);
    ~HttpConnection() override;

    void run() override;
    void stop();

  private:
    // Serves one request; false when the connection must close.
    bool serveOne(Poco::Net::HTTPServerSession& session);
    void armHeadDeadline();
    void release();
    std::string client() const;

    HttpConnectionFactory& _factory;
    const poco_socket_t _fd;  // as accepted; the session closes the socket before we end
    std::mutex _serving;      // held while a request is served; stop() waits for it
    std::atomic<bool> _stopped{false};
    bool _released = false;
    std::string _client;
    std::string _headLate;  // what the log says when a deadline passes
    std::string _bodyLate;
};

}  // namespace timhost
