#include "ClientLimit.h"

namespace timhost {

bool ClientLimit::tryOpen(const std::string& client) {
    std::lock_guard<std::mutex> lock(_mutex);
    if (_exempt.count(client) == 0 && _open[client] >= _perClient) {
        _log.warning("refused a connection from " + client + ": it has " +
                     std::to_string(_perClient) + " open (http.maxConnectionsPerClient)");
        return false;
    }
    ++_open[client];
    return true;
}

void ClientLimit::closed(const std::string& client) {
    std::lock_guard<std::mutex> lock(_mutex);
    const auto open = _open.find(client);
    if (open != _open.end() && --open->second <= 0) {
        _open.erase(open);
    }
}

}  // namespace timhost
