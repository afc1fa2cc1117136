// Named leases in a table (scim_lease) that make a job exclusive across every process and
// every node of a replicated cluster. GET_LOCK is local to one server: on a Galera cluster two
// hosts on two nodes both get it (measured). A lease row is replicated like any write, and two
// nodes taking it at once conflict at certification, so exactly one commit wins.
#pragma once

#include <Poco/Data/Session.h>

#include <string>

namespace store {

// Creates the lease table if it is missing. It exists outside the migrations because the
// migration lock itself is a lease.
void ensureLeaseTable(Poco::Data::Session& session);

// Takes lease `name` for `seconds` (by the database's clock) if it is free, expired or already
// this session's; false at once when another session holds it. Runs outside any transaction.
// Throws a deadlock error when another node took it in the same instant and won.
bool tryTakeLease(Poco::Data::Session& session, const std::string& name, int seconds);

// Gives the lease back if this session holds it. Throws a deadlock error when it lost
// certification to another node's attempt to take it: send it again.
void releaseLease(Poco::Data::Session& session, const std::string& name);

}  // namespace store
