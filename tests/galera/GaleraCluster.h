// The MariaDB Galera cluster that the galera.start test fixture runs (tests/galera/cluster.sh):
// its nodes as servers to connect to, and its faults (a node stopped, killed, started again).
#pragma once

#include "support/TestDatabases.h"

#include <Poco/Data/Session.h>

#include <string>
#include <vector>

namespace testing {

class GaleraCluster {
  public:
    // From TIM_TEST_GALERA_SCRIPT and TIM_TEST_GALERA_DIR; throws when ctest did not set them.
    static GaleraCluster fromEnvironment();

    std::size_t size() const { return _ports.size(); }
    MariaDBServer node(std::size_t index) const;  // 0-based
    // Drops and creates database `name` and returns once every node has it (a node applies
    // the cluster's DDL a moment after the node that ran it answered).
    std::string freshDatabase(const std::string& name) const;
    // A session on node `index` whose reads first wait for every write the cluster committed.
    Poco::Data::Session session(std::size_t index, const std::string& database) const;

    void stopNode(std::size_t index) const;   // clean shutdown; the others keep quorum
    void startNode(std::size_t index) const;  // rejoins, returns once it is Synced

  private:
    void run(const std::string& action, std::size_t index) const;

    std::string _script;
    std::string _dir;
    std::vector<int> _ports;
};

}  // namespace testing
