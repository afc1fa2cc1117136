#include "ClusterHosts.h"

#include <Poco/Exception.h>
#include <Poco/FileStream.h>

#include <sstream>
#include <thread>

namespace testing {
namespace {

// The lines logged at error level or worse.
std::string errorLines(const std::string& log) {
    std::istringstream in(log);
    std::string errors;
    for (std::string line; std::getline(in, line);) {
        for (const char* level : {" Error ", " Critical ", " Fatal "}) {
            if (line.find(level) != std::string::npos) {
                errors += line + "\n";
                break;
            }
        }
    }
    return errors;
}

std::string lastLines(const std::string& text, std::size_t lines) {
    std::size_t at = text.size();
    for (std::size_t n = 0; n <= lines && at != std::string::npos && at > 0; ++n) {
        at = text.rfind('\n', at - 1);
    }
    return at == std::string::npos ? text : text.substr(at + 1);
}

}  // namespace

ClusterHosts::ClusterHosts(const GaleraCluster& cluster, std::size_t count,
                           const std::string& database, const std::string& knownRoles) {
    for (std::size_t node = 0; node < count; ++node) {
        const auto server = cluster.node(node);
        auto properties = server.hostProperties(database);
        properties["scim.db.lockWaitSeconds"] = "2";
        properties["scim.db.timeoutSeconds"] = "5";
        properties["scim.roles.known"] = knownRoles;
        // Every host tries the purge every 2 s: the lease must let one at a time run.
        properties["scim.purge.intervalSeconds"] = "2";
        _hosts.push_back(
            std::make_unique<HostProcess>(std::vector<std::string>{"tim-scim"}, properties));
    }
    std::vector<std::thread> starting;
    std::vector<std::string> failures(count);
    for (std::size_t i = 0; i < count; ++i) {
        starting.emplace_back([&, i] {
            try {
                _hosts[i]->start();
            } catch (const Poco::Exception& e) {
                failures[i] = e.displayText();
            }
        });
    }
    for (auto& t : starting) {
        t.join();
    }
    for (std::size_t i = 0; i < count; ++i) {
        if (!failures[i].empty()) {
            throw Poco::IllegalStateException("host " + std::to_string(i + 1) + ": " + failures[i]);
        }
    }
}

std::vector<int> ClusterHosts::ports() const {
    std::vector<int> ports;
    for (const auto& host : _hosts) {
        ports.push_back(host->port());
    }
    return ports;
}

void ClusterHosts::keepLogs(const std::string& dir) const {
    for (std::size_t i = 0; i < _hosts.size(); ++i) {
        Poco::FileOutputStream(dir + "/host-" + std::to_string(i + 1) + ".log") << _hosts[i]->log();
    }
}

std::string ClusterHosts::errorsAndDeaths() const {
    std::string text;
    for (std::size_t i = 0; i < _hosts.size(); ++i) {
        const std::string log = _hosts[i]->log();
        const std::string errors = errorLines(log);
        text += errors.empty() ? "" : "host " + std::to_string(i + 1) + " logged:\n" + errors;
        if (!_hosts[i]->running()) {
            text += "host " + std::to_string(i + 1) + " died; its log ends:\n" + lastLines(log, 20);
        }
    }
    return text;
}

std::string ClusterHosts::stopAll() {
    std::string text;
    for (std::size_t i = 0; i < _hosts.size(); ++i) {
        const int code = _hosts[i]->stop();
        text += code == 0 ? ""
                          : "host " + std::to_string(i + 1) + " exited with " +
                                std::to_string(code) + "\n";
    }
    return text;
}

}  // namespace testing
