#include "HttpConnection.h"

#include "HostErrors.h"
#include "RequestFraming.h"
#include "ServerRequest.h"

#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/String.h>
#include <Poco/Timestamp.h>

#include <sys/socket.h>

namespace timhost {
namespace {

// The status of a head Poco's parser refused: oversized parts are 414 and 431 (RFC 9110,
// RFC 6585), anything else 400.
int statusOfRefusedHead(const Poco::Net::MessageException& e) {
    const std::string message = Poco::toLower(e.message());
    if (message.find("uri") != std::string::npos) {
        return 414;
    }
    if (message.find("too many") != std::string::npos ||
        message.find("too long") != std::string::npos) {
        return 431;
    }
    return 400;
}

}  // namespace

HttpConnectionFactory::HttpConnectionFactory(const RequestRouter& router,
                                             const HttpSettings& settings,
                                             Poco::Net::HTTPServerParams::Ptr params,
                                             ClientLimit::Ptr clients)
    : _router(router),
      _settings(settings),
      _params(std::move(params)),
      _clients(std::move(clients)),
      _logger(Poco::Logger::get("timhost.http")),
      _watchdog(_logger) {}

Poco::Net::TCPServerConnection* HttpConnectionFactory::createConnection(
    const Poco::Net::StreamSocket& socket) {
    return new HttpConnection(socket, *this);
}

void HttpConnectionFactory::add(HttpConnection* connection) {
    std::lock_guard<std::mutex> lock(_mutex);
    _connections.insert(connection);
    if (_stopped) {
        connection->stop();
    }
}

void HttpConnectionFactory::remove(HttpConnection* connection) {
    std::lock_guard<std::mutex> lock(_mutex);
    _connections.erase(connection);
}

void HttpConnectionFactory::stopAll() {
    std::lock_guard<std::mutex> lock(_mutex);
    _stopped = true;
    for (HttpConnection* connection : _connections) {
        connection->stop();
    }
}

HttpConnection::HttpConnection(const Poco::Net::StreamSocket& socket,
                               HttpConnectionFactory& factory)
    : TCPServerConnection(socket), _factory(factory), _fd(socket.impl()->sockfd()) {
    try {
        _client = socket.peerAddress().toString();
    } catch (const Poco::Exception&) {
        _client = "(gone)";
    }
    const HttpSettings& settings = factory._settings;
    _headLate = _client + " sent no complete request head within " +
                std::to_string(settings.headerTimeoutSeconds) + " s";
    _bodyLate = _client + " did not send its request body within " +
                std::to_string(settings.bodyTimeoutSeconds) + " s";
}

HttpConnection::~HttpConnection() {
    release();
}

// Before the socket closes: after it, its fd may already belong to the next connection.
void HttpConnection::release() {
    if (_released) {
        return;
    }
    _released = true;
    _factory._watchdog.disarm(this);
    _factory.remove(this);
    if (_factory._clients) {
        _factory._clients->closed(_fd);
    }
}

std::string HttpConnection::client() const {
    return _client;
}

// Called under the factory's lock, so only while this connection is registered: its socket
// is still open.
void HttpConnection::stop() {
    _stopped = true;
    std::lock_guard<std::mutex> lock(_serving);  // the current request finishes first
    ::shutdown(_fd, SHUT_RDWR);
}

void HttpConnection::run() {
    try {
        Poco::Net::HTTPServerSession session(socket(), _factory._params);
        _factory.add(this);
        // The first head is due from the accept on (Poco waits for its first byte with the
        // read timeout); a later one from its first byte (the keep-alive timeout bounds the
        // wait for it).
        armHeadDeadline();
        bool first = true;
        while (!_stopped && session.hasMoreRequests()) {
            std::lock_guard<std::mutex> lock(_serving);
            if (!first) {
                armHeadDeadline();
            }
            first = false;
            const bool keepAlive = !_stopped && serveOne(session);
            session.setKeepAlive(keepAlive);
            if (!keepAlive) {
                break;
            }
        }
        release();  // the session closes the socket next
    } catch (const Poco::Exception& e) {
        release();
        _factory._logger.debug("connection from " + client() + " ended: " + e.displayText());
    }
}

void HttpConnection::armHeadDeadline() {
    const int seconds = _factory._settings.headerTimeoutSeconds;
    _factory._watchdog.arm(
        this, _fd, ConnectionWatchdog::Clock::now() + std::chrono::seconds(seconds), _headLate);
}

bool HttpConnection::serveOne(Poco::Net::HTTPServerSession& session) {
    const HttpSettings& settings = _factory._settings;
    ConnectionWatchdog& watchdog = _factory._watchdog;
    const int fd = _fd;
    const auto now = ConnectionWatchdog::Clock::now;
    Poco::Net::HTTPServerResponseImpl response(session);
    ServerRequest request(response, session, _factory._params);
    try {
        request.readHead();
    } catch (const Poco::Net::NoMessageException&) {
        return false;  // the client closed between requests
    } catch (const Poco::Net::MessageException& e) {
        watchdog.disarm(this);
        response.setVersion(Poco::Net::HTTPMessage::HTTP_1_1);
        response.setKeepAlive(false);
        sendHostError(response, statusOfRefusedHead(e), "The request head was refused",
                      _factory._router.errorMediaTypeFor(request.targetPath()));
        return false;
    }
    watchdog.disarm(this);

    response.setDate(Poco::Timestamp());
    response.setVersion(request.getVersion());
    response.setKeepAlive(_factory._params->getKeepAlive() && request.getKeepAlive() &&
                          session.canKeepAlive());
    response.set("Server", "timhost");

    const RequestFraming framing = framingOf(request);
    if (framing.refusal != 0) {
        response.setKeepAlive(false);
        sendHostError(response, framing.refusal, framing.detail,
                      _factory._router.errorMediaTypeFor(request.targetPath()));
        request.lingeringClose();
        return false;
    }
    request.openBody(framing);
    if (framing.body != RequestFraming::Body::None) {
        watchdog.arm(this, fd, now() + std::chrono::seconds(settings.bodyTimeoutSeconds), _bodyLate,
                     ConnectionWatchdog::Cut::Reading);  // the 400 still goes out
        request.setBodyEndListener([&watchdog, this] { watchdog.disarm(this); });
    }
    if (request.chunked()) {
        response.setKeepAlive(false);  // the decoder may have read past the body
    }
    _factory._router.serve(request, response);
    watchdog.disarm(this);
    return _factory._params->getKeepAlive() && response.getKeepAlive() && session.canKeepAlive();
}

}  // namespace timhost
