#include "GaleraNode.h"

#include "store/engine/PreparedStatements.h"

#include <Poco/Data/DataException.h>
#include <Poco/Data/Statement.h>
#include <Poco/UUIDGenerator.h>

#include <vector>

namespace store {
namespace {

using namespace Poco::Data::Keywords;

// The marker row of a session: "write <node> <connection>", the node as a hash of its host
// name and port (connection ids are counted per node), in scim_state.
#define TIM_MARKER_NODE "LEFT(MD5(CONCAT(@@hostname, ':', @@port)), 12)"
constexpr const char* kMarkerName = "CONCAT('write ', " TIM_MARKER_NODE ", ' ', CONNECTION_ID())";
constexpr const char* kDropStaleMarkers =
    "DELETE FROM scim_state WHERE name LIKE CONCAT('write ', " TIM_MARKER_NODE
    ", ' %') AND "
    "CAST(SUBSTRING_INDEX(name, ' ', -1) AS UNSIGNED) NOT IN "
    "(SELECT id FROM information_schema.processlist)";
#undef TIM_MARKER_NODE

std::string lastWrittenGtid(Poco::Data::Session& session) {
    return runPrepared(session, "SELECT WSREP_LAST_WRITTEN_GTID()", {}, {ColumnType::Text})
        .text(0)
        .at(0);
}

// Whether the connection's marker row holds `marker` (as this session sees it).
bool holdsMarker(Poco::Data::Session& session, const std::string& marker) {
    const auto& stored = runPrepared(
        session, std::string("SELECT value FROM scim_state WHERE name = ") + kMarkerName, {},
        {ColumnType::Text});
    return stored.text(0) == std::vector<std::string>{marker};
}

// Reported as the deadlock it was: the write runs again (Retry.h).
constexpr const char* kAborted =
    "Deadlock found: the cluster aborted a transaction without telling its client "
    "[mysql_errno]: 1213";

}  // namespace

bool joinCausalReads(Poco::Data::Session& session) {
    std::vector<std::string> names;
    std::vector<std::string> values;
    session << "SHOW VARIABLES LIKE 'wsrep_on'", into(names), into(values), now;
    if (values.empty() || values.front() != "ON") {
        return false;
    }
    session << "SET SESSION wsrep_sync_wait = 1", now;
    return true;
}

std::string beginCheckedWrite(Poco::Data::Session& session) {
    runPrepared(session, "SET autocommit = 0", {});
    runPrepared(session, "START TRANSACTION", {});
    const std::string token = Poco::UUIDGenerator().createRandom().toString();
    runPrepared(session,
                std::string("INSERT INTO scim_state (name, value) VALUES (") + kMarkerName +
                    ", ?) ON DUPLICATE KEY UPDATE value = VALUES(value)",
                {textParam(token)});
    return token;
}

void commitChecked(Poco::Data::Session& session, const std::string& marker) {
    if (!holdsMarker(session, marker)) {
        throw Poco::Data::DataException(kAborted);
    }
    const std::string before = lastWrittenGtid(session);
    runPrepared(session, "COMMIT", {});
    if (lastWrittenGtid(session) == before && !holdsMarker(session, marker)) {
        throw Poco::Data::DataException(kAborted);
    }
}

void endCheckedWrite(Poco::Data::Session& session) {
    try {
        runPrepared(session, "SET autocommit = 1", {});
    } catch (const Poco::Exception&) {
        // The connection is gone; its replacement starts with autocommit on.
    }
}

std::size_t dropStaleCommitMarkers(Poco::Data::Session& session) {
    Poco::Data::Statement drop(session);
    drop << kDropStaleMarkers;
    return drop.execute();
}

}  // namespace store
