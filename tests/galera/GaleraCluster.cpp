#include "GaleraCluster.h"

#include <Poco/Data/MySQL/Connector.h>
#include <Poco/Environment.h>
#include <Poco/Exception.h>
#include <Poco/FileStream.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>

namespace testing {

using namespace Poco::Data::Keywords;

GaleraCluster GaleraCluster::fromEnvironment() {
    if (!Poco::Environment::has("TIM_TEST_GALERA_DIR")) {
        throw Poco::IllegalStateException(
            "TIM_TEST_GALERA_* is not set: run this suite through ctest, whose galera fixture "
            "starts the cluster");
    }
    GaleraCluster cluster;
    cluster._script = Poco::Environment::get("TIM_TEST_GALERA_SCRIPT");
    cluster._dir = Poco::Environment::get("TIM_TEST_GALERA_DIR");
    // One line per node: "BASEPORT SQLPORT".
    Poco::FileInputStream in(cluster._dir + "/ports");
    int base = 0;
    int port = 0;
    while (in >> base >> port) {
        cluster._ports.push_back(port);
    }
    if (cluster._ports.size() < 3) {
        throw Poco::IllegalStateException("the Galera fixture lists fewer than 3 nodes");
    }
    return cluster;
}

MariaDBServer GaleraCluster::node(std::size_t index) const {
    MariaDBServer server;
    server.host = "127.0.0.1";
    server.port = _ports.at(index);
    server.user = "tim";
    server.password = "tim-test-password";
    return server;
}

std::string GaleraCluster::freshDatabase(const std::string& name) const {
    node(0).freshDatabase(name);
    for (std::size_t index = 0; index < size(); ++index) {
        auto session = this->session(index, "information_schema");  // waits for the DDL
        Poco::Int64 found = 0;
        std::string schema = name;
        session << "SELECT COUNT(*) FROM schemata WHERE schema_name = ?", into(found), use(schema),
            now;
        if (found != 1) {
            throw Poco::IllegalStateException("node " + std::to_string(index + 1) + " lacks " +
                                              name);
        }
    }
    return name;
}

Poco::Data::Session GaleraCluster::session(std::size_t index, const std::string& database) const {
    Poco::Data::MySQL::Connector::registerConnector();
    const auto server = node(index);
    Poco::Data::Session session(Poco::Data::MySQL::Connector::KEY,
                                "host=127.0.0.1;port=" + std::to_string(server.port) +
                                    ";user=" + server.user + ";password=" + server.password +
                                    ";db=" + database);
    session << "SET SESSION wsrep_sync_wait = 1", now;
    return session;
}

void GaleraCluster::stopNode(std::size_t index) const {
    run("node-stop", index);
}

void GaleraCluster::startNode(std::size_t index) const {
    run("node-start", index);
}

void GaleraCluster::run(const std::string& action, std::size_t index) const {
    Poco::Pipe out;
    Poco::ProcessHandle handle = Poco::Process::launch(
        _script, {action, _dir, std::to_string(index + 1)}, nullptr, &out, &out);
    Poco::PipeInputStream stream(out);
    std::string text;
    Poco::StreamCopier::copyToString(stream, text);
    if (handle.wait() != 0) {
        throw Poco::RuntimeException("cluster.sh " + action + " failed: " + text);
    }
}

}  // namespace testing
