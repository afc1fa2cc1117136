#include "ClientLimit.h"

#include <arpa/inet.h>

#include <cstring>

namespace timhost {

std::string ClientLimit::keyOf(const std::string& client) {
    unsigned char address[16];
    if (::inet_pton(AF_INET6, client.c_str(), address) != 1 ||
        IN6_IS_ADDR_V4MAPPED(reinterpret_cast<const in6_addr*>(address))) {
        return client;  // IPv4, plain or mapped
    }
    std::memset(address + 8, 0, 8);
    char prefix[INET6_ADDRSTRLEN];
    return ::inet_ntop(AF_INET6, address, prefix, sizeof prefix) != nullptr
               ? std::string(prefix) + "/64"
               : client;
}

bool ClientLimit::tryOpen(const std::string& client) {
    std::lock_guard<std::mutex> lock(_mutex);
    if (_exempt.count(client) > 0) {
        return true;
    }
    int& open = _open[keyOf(client)];
    if (open >= _perClient) {
        _log.warning("refused a connection from " + client + ": it has " +
                     std::to_string(_perClient) + " open (http.maxConnectionsPerClient)");
        return false;
    }
    ++open;
    return true;
}

void ClientLimit::closed(const std::string& client) {
    std::lock_guard<std::mutex> lock(_mutex);
    const auto open = _open.find(keyOf(client));
    if (open != _open.end() && --open->second <= 0) {
        _open.erase(open);
    }
}

}  // namespace timhost
