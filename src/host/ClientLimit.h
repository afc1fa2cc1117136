// At most `perClient` open connections per client address, decided when a connection is
// accepted, before it reads a byte: one client cannot starve the others. Trusted proxies carry
// many clients and are exempt. An IPv6 client is its /64: one host holds a whole /64.
#pragma once

#include "LineThrottle.h"

#include <map>
#include <mutex>
#include <set>
#include <string>

namespace timhost {

class ClientLimit {
  public:
    ClientLimit(int perClient, std::set<std::string> exempt, LineThrottle& log)
        : _perClient(perClient), _exempt(std::move(exempt)), _log(log) {}

    // True when `client` may open one more connection (then counted until closed()).
    bool tryOpen(const std::string& client);
    void closed(const std::string& client);

    // The key `client` is counted under: an IPv4 address as it is, an IPv6 one as its /64.
    static std::string keyOf(const std::string& client);

  private:
    const int _perClient;
    const std::set<std::string> _exempt;
    LineThrottle& _log;
    std::mutex _mutex;
    std::map<std::string, int> _open;  // client (IPv4 address, IPv6 /64) -> connections
};

}  // namespace timhost
