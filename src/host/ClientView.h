// Who the client is and which origin it addressed, as the host tells plugins: from the
// connection itself, and from the X-Forwarded-* fields only when the peer is one of
// http.trustedProxies (anyone else could write them).
#pragma once

#include <Poco/Net/HTTPRequest.h>

#include <set>
#include <string>

namespace timhost {

struct ClientView {
    std::string address;  // an IP address
    std::string origin;   // "scheme://authority"
};

// `peer`: the connection's remote IP; `listener`: the local "host:port" the connection
// reached. The origin's authority is the Host field only when it names the listener, a
// loopback name or one of `allowedHosts` ("host" or "host:port", lower case): any other Host
// (a client's own choice) gives the listener, so that no client puts its host into a URL.
ClientView clientViewOf(const Poco::Net::HTTPRequest& head, const std::string& peer, bool secure,
                        const std::string& listener, const std::set<std::string>& trustedProxies,
                        const std::set<std::string>& allowedHosts);

// True for "host", "host:port", "[v6]" and "[v6]:port" with the characters of RFC 3986
// (reg-name without percent-encoding); nothing else may reach an absolute URL.
bool isValidAuthority(const std::string& authority);

}  // namespace timhost
