// Random ids: every row's id, and a request's id when the client sends none.
#pragma once

#include <string>

namespace port {

// A new random (version 4) UUID. From getrandom(2): Poco's UUIDGenerator::createRandom opens
// and closes /dev/urandom on every call behind one process-wide mutex (measured: 4% of a
// create's CPU, and 10-25% of SQLite GET and filter rates when it made every request's id).
std::string newId();

}  // namespace port
