// The one place where the database's own failures become the port's typed errors
// (port/StoreErrors.h): every public operation of a store ends in
// `catch (...) { rethrowAsStoreError(); }`.
#pragma once

#include <Poco/Exception.h>

namespace store {

// How the same request may fare in a few seconds after failing with `e`: Busy (the pool had no
// session free, a lock was held too long, a write lost every attempt), Unavailable (the database
// connection is lost or refused), or None (not a passing failure).
enum class TransientFailure { None, Busy, Unavailable };
TransientFailure transientFailureOf(const Poco::Exception& e);

// Rethrows the exception being handled: a passing database failure as port::Unavailable, any
// other one as it is. Call it only inside a catch block.
[[noreturn]] void rethrowAsStoreError();

}  // namespace store
