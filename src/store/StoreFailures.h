// The one place where the database's own failures become the port's typed errors
// (port/StoreErrors.h): every public operation of a store ends in
// `catch (...) { rethrowAsStoreError(); }`.
#pragma once

#include <Poco/Exception.h>

namespace store {

// Rethrows the exception being handled: a passing database failure as port::Unavailable, any
// other one as it is. Call it only inside a catch block.
[[noreturn]] void rethrowAsStoreError();

}  // namespace store
