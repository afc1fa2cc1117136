// The one place where the database's own failures become the port's typed errors
// (port/StoreErrors.h): every public operation of a store runs its body through storeCall.
#pragma once

#include <Poco/Exception.h>

namespace store {

// Rethrows the exception being handled: a passing database failure as port::Unavailable, any
// other one as it is. Call it only inside a catch block.
[[noreturn]] void rethrowAsStoreError();

// Runs a public store operation's body: what it returns, or its failure as the port's error.
template <typename Call>
auto storeCall(Call&& call) -> decltype(call()) {
    try {
        return call();
    } catch (...) {
        rethrowAsStoreError();
    }
}

}  // namespace store
