// The host's own tim.properties keys, read once at start with their defaults.
#pragma once

#include <Poco/Util/AbstractConfiguration.h>

#include <cstddef>
#include <set>
#include <string>
#include <tuple>

namespace timhost {

struct HttpSettings {
    std::string address = "127.0.0.1";  // HTTPS or http.plainHttp to listen beyond it
    unsigned port = 8080;
    int maxConnections = 4096;     // open at once; more are answered 503 at accept
    int maxQueued = 64;            // requests waiting for a worker; more are answered 503
    int workerThreads = 16;        // run the handlers
    int ioThreads = 2;             // event loops: every read and write of every connection
    int writeTimeoutSeconds = 30;  // for an answer, plus a second per 64 KiB of it
    std::size_t maxBufferedBytes = 256 * 1024 * 1024;  // answers not yet written
    int keepAliveTimeoutSeconds = 10;
    int keepAliveMaxRequests = 1000;
    int readTimeoutSeconds = 30;    // for each read; restarts with every byte
    int headerTimeoutSeconds = 10;  // for the whole request head
    int bodyTimeoutSeconds = 30;    // for the whole request body
    int maxConnectionsPerClient = 64;
    std::set<std::string> trustedProxies;  // addresses whose X-Forwarded-* count
    std::set<std::string> allowedHosts;    // Host values that may reach a URL (lower case)
    std::size_t maxBodyBytes = 10 * 1024 * 1024;
    std::string tlsCertificateFile;  // TLS is on when both files are set
    std::string tlsPrivateKeyFile;
    bool plainHttp = false;  // plain HTTP on a non-loopback address (behind a TLS proxy)

    bool tlsEnabled() const { return !tlsCertificateFile.empty(); }

    // Every field: the test that holds docs/tim.properties.example to the defaults uses it.
    auto fields() const {
        return std::tie(address, port, maxConnections, maxQueued, workerThreads, ioThreads,
                        writeTimeoutSeconds, maxBufferedBytes, keepAliveTimeoutSeconds,
                        keepAliveMaxRequests, readTimeoutSeconds, headerTimeoutSeconds,
                        bodyTimeoutSeconds, maxConnectionsPerClient, trustedProxies, allowedHosts,
                        maxBodyBytes, tlsCertificateFile, tlsPrivateKeyFile, plainHttp);
    }
    bool operator==(const HttpSettings& other) const { return fields() == other.fields(); }
};

struct HostSettings {
    HttpSettings http;
    std::string pluginDir;
    std::string dataDir;

    // Throws Poco::InvalidArgumentException naming the key of a bad value.
    static HostSettings read(const Poco::Util::AbstractConfiguration& config);

    // Every tim.properties key the host reads, these settings' and the application's.
    static const std::set<std::string>& keys();

    bool operator==(const HostSettings& other) const {
        return http == other.http && pluginDir == other.pluginDir && dataDir == other.dataDir;
    }
};

}  // namespace timhost
