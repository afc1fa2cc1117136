#include "MySQLLease.h"

#include <Poco/Environment.h>
#include <Poco/Process.h>
#include <Poco/UUIDGenerator.h>

namespace store {
namespace {

using namespace Poco::Data::Keywords;

// Who holds a lease, readable by an operator: machine, process, a random part (a restarted
// process may get the same pid) and the connection, named by its server (connection ids are
// counted per node), so that two sessions of one process exclude each other too.
std::string leaseHolder(Poco::Data::Session& session) {
    static const std::string process = Poco::Environment::nodeName() + " pid " +
                                       std::to_string(Poco::Process::id()) + " " +
                                       Poco::UUIDGenerator().createRandom().toString().substr(0, 8);
    std::string connection;
    session << "SELECT CONCAT(CONNECTION_ID(), ' on ', @@hostname, ':', @@port)", into(connection),
        now;
    return (process + " connection " + connection).substr(0, 160);
}

}  // namespace

void ensureLeaseTable(Poco::Data::Session& session) {
    session << "CREATE TABLE IF NOT EXISTS scim_lease ("
               "name VARCHAR(64) NOT NULL PRIMARY KEY, "
               "holder VARCHAR(160) NOT NULL, "
               "expires_at BIGINT NOT NULL) ENGINE=InnoDB",
        now;
}

bool tryTakeLease(Poco::Data::Session& session, const std::string& name, int seconds) {
    std::string key = name;
    std::string holder = leaseHolder(session);
    session << "INSERT INTO scim_lease (name, holder, expires_at) VALUES (?, '', 0) "
               "ON DUPLICATE KEY UPDATE name = name",
        use(key), now;
    session << "UPDATE scim_lease SET holder = ?, expires_at = UNIX_TIMESTAMP() + ? "
               "WHERE name = ? AND (expires_at <= UNIX_TIMESTAMP() OR holder = ?)",
        use(holder), use(seconds), use(key), use(holder), now;
    // Read back rather than count affected rows: MySQL counts a renewal that changes nothing
    // (same second) as 0 rows.
    std::string current;
    session << "SELECT holder FROM scim_lease WHERE name = ?", into(current), use(key), now;
    return current == holder;
}

void releaseLease(Poco::Data::Session& session, const std::string& name) {
    std::string key = name;
    std::string holder = leaseHolder(session);
    session << "UPDATE scim_lease SET holder = '', expires_at = 0 WHERE name = ? AND holder = ?",
        use(key), use(holder), now;
}

}  // namespace store
