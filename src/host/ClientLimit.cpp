#include "ClientLimit.h"

#include <Poco/Exception.h>

namespace timhost {

bool ClientLimit::accept(const Poco::Net::StreamSocket& socket) {
    std::string client;
    try {
        client = socket.peerAddress().host().toString();
    } catch (const Poco::Exception&) {
        return false;  // gone already
    }
    std::lock_guard<std::mutex> lock(_mutex);
    if (_server != nullptr && _server->queuedConnections() >= _maxQueued) {
        return false;  // the server would drop it uncounted
    }
    if (_exempt.count(client) == 0 && _open[client] >= _perClient) {
        if (_lastWarning.isElapsed(Poco::Timespan::SECONDS)) {
            _lastWarning.update();
            _logger.warning(
                "refused a connection from %s: it has %d open "
                "(http.maxConnectionsPerClient)",
                client, _perClient);
        }
        return false;
    }
    ++_open[client];
    _counted[socket.impl()->sockfd()] = client;
    return true;
}

void ClientLimit::closed(poco_socket_t fd) {
    std::lock_guard<std::mutex> lock(_mutex);
    const auto counted = _counted.find(fd);
    if (counted == _counted.end()) {
        return;
    }
    const auto open = _open.find(counted->second);
    if (open != _open.end() && --open->second <= 0) {
        _open.erase(open);
    }
    _counted.erase(counted);
}

}  // namespace timhost
