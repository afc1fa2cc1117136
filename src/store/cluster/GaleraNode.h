// What the plugin does differently on a node of a MariaDB Galera cluster: causal reads, and
// commits that are checked, because a COMMIT there can answer success for nothing.
#pragma once

#include <Poco/Data/Session.h>

#include <string>

namespace store {

// Whether the session's server is a Galera node; if it is, makes the session's reads and
// transactions wait until the node has applied every write the cluster committed before them
// (wsrep_sync_wait=1): a user POSTed through one host is then found by the group PATCH that
// Entra sends next through another.
bool joinCausalReads(Poco::Data::Session& session);

// On MariaDB 10.11.19 with galera-4 26.4.23, the abort of a transaction that lost to a
// replicated write is not always reported to its client: measured, in a race of 24 writers to
// one row on 3 nodes, 8 of 240 COMMITs answered success for a transaction nobody committed,
// 5 of them already outside any transaction before the COMMIT, the rest aborted in it (the
// same with prepared statements or plain queries). A write on a Galera node is therefore:
//   beginCheckedWrite   autocommit off for its duration, so that statements sent after an
//                       unreported abort open a new transaction instead of committing one by
//                       one; then START TRANSACTION and a new token in the marker row of the
//                       session's connection (no other session writes that row); returns it
//   commitChecked       the token must still be there (else the transaction was aborted:
//                       deadlock error, nothing commits); COMMIT; then the session's last
//                       written GTID must have moved, or the token must have survived (a commit
//                       the node replayed), else the commit was lost: deadlock error
//   endCheckedWrite     autocommit back on (after COMMIT or ROLLBACK)
std::string beginCheckedWrite(Poco::Data::Session& session);
void commitChecked(Poco::Data::Session& session, const std::string& marker);
void endCheckedWrite(Poco::Data::Session& session);

// Deletes the marker rows of this node's connections that are gone; how many.
std::size_t dropStaleCommitMarkers(Poco::Data::Session& session);

}  // namespace store
