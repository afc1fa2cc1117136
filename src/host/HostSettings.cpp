#include "HostSettings.h"

#include "ClientView.h"

#include <Poco/Exception.h>
#include <Poco/Net/DNS.h>
#include <Poco/Net/IPAddress.h>

#include <Poco/Path.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>
#include <algorithm>

namespace timhost {
namespace {

int readBoundedInt(const Poco::Util::AbstractConfiguration& config, const std::string& key,
                   int defaultValue, int min, int max) {
    int value = 0;
    try {
        value = config.getInt(key, defaultValue);
    } catch (const Poco::SyntaxException&) {
        throw Poco::InvalidArgumentException(key + " must be a whole number");
    }
    if (value < min || value > max) {
        throw Poco::InvalidArgumentException(key + " must be between " + std::to_string(min) +
                                             " and " + std::to_string(max));
    }
    return value;
}

bool readBool(const Poco::Util::AbstractConfiguration& config, const std::string& key,
              bool defaultValue) {
    try {
        return config.getBool(key, defaultValue);
    } catch (const Poco::SyntaxException&) {
        throw Poco::InvalidArgumentException(key + " must be true or false");
    }
}

// Only loopback addresses keep plain HTTP on this machine; a name is resolved as a client would.
bool isLoopback(const std::string& address) {
    Poco::Net::IPAddress ip;
    if (Poco::Net::IPAddress::tryParse(address, ip)) {
        return ip.isLoopback();
    }
    try {
        const auto entry = Poco::Net::DNS::resolve(address);
        const auto& addresses = entry.addresses();
        return !addresses.empty() &&
               std::all_of(addresses.begin(), addresses.end(),
                           [](const Poco::Net::IPAddress& a) { return a.isLoopback(); });
    } catch (const Poco::Exception&) {
        return false;
    }
}

}  // namespace

const std::set<std::string>& HostSettings::keys() {
    static const std::set<std::string> keys = {
        "http.address",
        "http.port",
        "http.maxConnections",
        "http.maxQueued",
        "http.workerThreads",
        "http.ioThreads",
        "http.writeTimeoutSeconds",
        "http.maxBufferedBytes",
        "http.keepAliveTimeoutSeconds",
        "http.keepAliveMaxRequests",
        "http.readTimeoutSeconds",
        "http.headerTimeoutSeconds",
        "http.bodyTimeoutSeconds",
        "http.maxConnectionsPerClient",
        "http.trustedProxies",
        "http.allowedHosts",
        "http.maxBodyBytes",
        "http.tls.certificateFile",
        "http.tls.privateKeyFile",
        "http.plainHttp",
        "plugin.dir",
        "plugin.optional",
        "plugin.allowNone",
        "data.dir",
        "log.level",
    };
    return keys;
}

HostSettings HostSettings::read(const Poco::Util::AbstractConfiguration& config) {
    HostSettings settings;
    HttpSettings& http = settings.http;
    http.address = config.getString("http.address", http.address);
    http.port = static_cast<unsigned>(readBoundedInt(config, "http.port", 8080, 0, 65535));
    http.maxConnections =
        readBoundedInt(config, "http.maxConnections", http.maxConnections, 1, 100000);
    http.maxQueued = readBoundedInt(config, "http.maxQueued", http.maxQueued, 1, 100000);
    http.workerThreads = readBoundedInt(config, "http.workerThreads", http.workerThreads, 1, 1024);
    http.ioThreads = readBoundedInt(config, "http.ioThreads", http.ioThreads, 1, 64);
    http.writeTimeoutSeconds =
        readBoundedInt(config, "http.writeTimeoutSeconds", http.writeTimeoutSeconds, 1, 3600);
    http.maxBufferedBytes = static_cast<std::size_t>(
        readBoundedInt(config, "http.maxBufferedBytes", static_cast<int>(http.maxBufferedBytes),
                       1024 * 1024, 2047 * 1024 * 1024));
    http.keepAliveTimeoutSeconds = readBoundedInt(config, "http.keepAliveTimeoutSeconds",
                                                  http.keepAliveTimeoutSeconds, 0, 3600);
    http.keepAliveMaxRequests =
        readBoundedInt(config, "http.keepAliveMaxRequests", http.keepAliveMaxRequests, 0, 1000000);
    http.readTimeoutSeconds =
        readBoundedInt(config, "http.readTimeoutSeconds", http.readTimeoutSeconds, 1, 3600);
    http.headerTimeoutSeconds =
        readBoundedInt(config, "http.headerTimeoutSeconds", http.headerTimeoutSeconds, 1, 3600);
    http.bodyTimeoutSeconds =
        readBoundedInt(config, "http.bodyTimeoutSeconds", http.bodyTimeoutSeconds, 1, 86400);
    http.maxConnectionsPerClient = readBoundedInt(config, "http.maxConnectionsPerClient",
                                                  http.maxConnectionsPerClient, 1, 100000);
    Poco::StringTokenizer proxies(
        config.getString("http.trustedProxies", ""), ",",
        Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
    for (const auto& proxy : proxies) {
        Poco::Net::IPAddress address;
        if (!Poco::Net::IPAddress::tryParse(proxy, address)) {
            throw Poco::InvalidArgumentException(
                "http.trustedProxies must list IP addresses, not \"" + proxy + "\"");
        }
        http.trustedProxies.insert(address.toString());
    }
    Poco::StringTokenizer hosts(
        config.getString("http.allowedHosts", ""), ",",
        Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
    for (const auto& host : hosts) {
        if (!isValidAuthority(host)) {
            throw Poco::InvalidArgumentException(
                "http.allowedHosts must list host names or host:port, not \"" + host + "\"");
        }
        http.allowedHosts.insert(Poco::toLower(host));
    }
    http.maxBodyBytes = static_cast<std::size_t>(readBoundedInt(
        config, "http.maxBodyBytes", static_cast<int>(http.maxBodyBytes), 0, 1024 * 1024 * 1024));
    http.tlsCertificateFile = config.getString("http.tls.certificateFile", "");
    http.tlsPrivateKeyFile = config.getString("http.tls.privateKeyFile", "");
    if (http.tlsCertificateFile.empty() != http.tlsPrivateKeyFile.empty()) {
        throw Poco::InvalidArgumentException(
            "http.tls.certificateFile and http.tls.privateKeyFile must be set together");
    }

    http.plainHttp = readBool(config, "http.plainHttp", false);
    if (!http.tlsEnabled() && !http.plainHttp && !isLoopback(http.address)) {
        throw Poco::InvalidArgumentException(
            "http.address " + http.address +
            " is reachable from other machines: set http.tls.certificateFile and "
            "http.tls.privateKeyFile to serve HTTPS, or http.plainHttp=true when a TLS proxy "
            "in front of the host terminates HTTPS");
    }

    const std::string appDir = config.getString("application.dir", "./");
    settings.pluginDir = config.getString("plugin.dir", appDir + "../plugins");
    settings.dataDir = config.getString("data.dir", appDir + "../data");
    return settings;
}

}  // namespace timhost
