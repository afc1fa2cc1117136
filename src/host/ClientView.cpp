#include "ClientView.h"

#include <Poco/Net/IPAddress.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>

#include <algorithm>
#include <cctype>
#include <vector>

namespace timhost {
namespace {

constexpr std::size_t kMaxAuthority = 255;

bool isPort(const std::string& text) {
    return !text.empty() && text.size() <= 5 && std::all_of(text.begin(), text.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
    });
}

bool isRegName(const std::string& text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
    });
}

// The client among X-Forwarded-For's hops: the nearest one that is not a trusted proxy.
std::string forwardedClient(const std::string& forwardedFor, const std::string& peer,
                            const std::set<std::string>& trustedProxies) {
    const Poco::StringTokenizer hops(forwardedFor, ",", Poco::StringTokenizer::TOK_TRIM);
    std::string client = peer;
    for (auto hop = hops.end(); hop != hops.begin();) {
        --hop;
        Poco::Net::IPAddress address;
        if (!Poco::Net::IPAddress::tryParse(*hop, address)) {
            break;  // not an address: the hops before it cannot be trusted either
        }
        client = address.toString();
        if (trustedProxies.count(client) == 0) {
            break;
        }
    }
    return client;
}

// Every line of a field, in order, as one comma-separated list (RFC 9110 §5.3): a proxy that
// appends its own X-Forwarded-For line after the client's must not leave the client's first.
std::string allLines(const Poco::Net::HTTPRequest& head, const std::string& name) {
    std::string joined;
    for (auto it = head.find(name); it != head.end() && Poco::icompare(it->first, name) == 0;
         ++it) {
        joined += (joined.empty() ? "" : ", ") + it->second;
    }
    return joined;
}

// The first element of a comma-separated field (the hop nearest the original client), trimmed.
std::string firstElement(const Poco::Net::HTTPRequest& head, const std::string& name) {
    const std::string value = head.get(name, "");
    return Poco::trim(value.substr(0, value.find(',')));
}

// The host part of a valid authority: "[v6]" or a name, without the port.
std::string hostOf(const std::string& authority) {
    if (authority.front() == '[') {
        return authority.substr(0, authority.find(']') + 1);
    }
    return authority.substr(0, authority.find(':'));
}

bool isAllowedHost(const std::string& authority, const std::string& listener,
                   const std::set<std::string>& allowedHosts) {
    const std::string name = Poco::toLower(authority);
    const std::string host = hostOf(name);
    Poco::Net::IPAddress address;
    const bool loopback = host == "localhost" ||
                          (Poco::Net::IPAddress::tryParse(host, address) && address.isLoopback()) ||
                          host == "[::1]";
    return loopback || name == Poco::toLower(listener) || allowedHosts.count(name) != 0 ||
           allowedHosts.count(host) != 0;
}

}  // namespace

bool isValidAuthority(const std::string& authority) {
    if (authority.empty() || authority.size() > kMaxAuthority) {
        return false;
    }
    std::string host = authority;
    std::string port;
    if (authority.front() == '[') {
        const auto close = authority.find(']');
        if (close == std::string::npos) {
            return false;
        }
        Poco::Net::IPAddress v6;
        if (!Poco::Net::IPAddress::tryParse(authority.substr(1, close - 1), v6) ||
            v6.family() != Poco::Net::IPAddress::IPv6) {
            return false;
        }
        const std::string rest = authority.substr(close + 1);
        return rest.empty() || (rest.front() == ':' && isPort(rest.substr(1)));
    }
    const auto colon = authority.find(':');
    if (colon != std::string::npos) {
        host = authority.substr(0, colon);
        port = authority.substr(colon + 1);
        if (!isPort(port)) {
            return false;
        }
    }
    return isRegName(host);
}

ClientView clientViewOf(const Poco::Net::HTTPRequest& head, const std::string& peer, bool secure,
                        const std::string& listener, const std::set<std::string>& trustedProxies,
                        const std::set<std::string>& allowedHosts) {
    const bool viaProxy = trustedProxies.count(peer) > 0;
    ClientView view;
    view.address =
        viaProxy ? forwardedClient(allLines(head, "X-Forwarded-For"), peer, trustedProxies) : peer;

    std::string scheme = secure ? "https" : "http";
    std::string authority = Poco::trim(head.get("Host", ""));
    if (!isValidAuthority(authority) || !isAllowedHost(authority, listener, allowedHosts)) {
        authority = listener;
    }
    if (viaProxy) {
        const std::string proto = Poco::toLower(firstElement(head, "X-Forwarded-Proto"));
        if (proto == "http" || proto == "https") {
            scheme = proto;
        }
        const std::string forwardedHost = firstElement(head, "X-Forwarded-Host");
        if (isValidAuthority(forwardedHost)) {
            authority = forwardedHost;  // the trusted proxy's, as its operator configured it
        }
    }
    view.origin = scheme + "://" + authority;
    return view;
}

}  // namespace timhost
