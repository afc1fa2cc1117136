// timhost instances with the real plugin, host I on node I of the test cluster, all on one
// database, started at once (so that they migrate it at once).
#pragma once

#include "GaleraCluster.h"
#include "support/HostProcess.h"

#include <memory>
#include <string>
#include <vector>

namespace testing {

class ClusterHosts {
  public:
    ClusterHosts(const GaleraCluster& cluster, std::size_t count, const std::string& database,
                 const std::string& knownRoles);

    HostProcess& host(std::size_t index) { return *_hosts.at(index); }
    std::vector<int> ports() const;

    // Each host's log into DIR/host-I.log, for whoever reads a failure.
    void keepLogs(const std::string& dir) const;
    // What explains a failure: error lines of every host, and the end of a host's log that
    // died on its own. "" for a clean run.
    std::string errorsAndDeaths() const;
    // Stops every host; the exit codes that were not 0, as text ("" if none).
    std::string stopAll();

  private:
    std::vector<std::unique_ptr<HostProcess>> _hosts;
};

}  // namespace testing
