// What the nodes of the test cluster hold of the workload's users and groups, compared with
// what the writes answered 2xx say they must hold.
#pragma once

#include "ClusterWorkload.h"
#include "GaleraCluster.h"

#include <string>

namespace testing {

// Every difference between `expected` (the workload's model) and each node, and between the
// nodes' tables, and every user whose roles are not those its role groups grant; "" if none.
std::string differencesOnEveryNode(const GaleraCluster& cluster, const std::string& database,
                                   ExpectedState expected);

}  // namespace testing
