// Bounds on how long the plugin waits for MySQL/MariaDB: to connect (a server that accepts
// but never greets), and for each answer on a live connection (a frozen or unreachable
// server). Past the bound the connection is given up as lost, which requests answer with 503.
// Poco 1.11's pool connects with a fixed 60 s and libmariadb takes a read timeout only before
// connecting, so both bounds come from here, and they are process-wide.
#pragma once

#include <Poco/Data/Session.h>

#include <string>

namespace store {

// Registers (once per process) the MySQL connector that connects within the bound, under
// boundedMySQLConnectorKey(); unregisterBoundedMySQLConnector undoes it.
void registerBoundedMySQLConnector();
void unregisterBoundedMySQLConnector();
const std::string& boundedMySQLConnectorKey();

// Sets the bound, in seconds, for connections made and statements run from now on.
void setMySQLWaitLimit(int seconds);

// Bounds (limited) or unbounds (for long work such as migrations) how long statements on
// `session` wait for the server. Does nothing on a session that is not MySQL's.
void limitServerWait(Poco::Data::Session& session, bool limited);

}  // namespace store
