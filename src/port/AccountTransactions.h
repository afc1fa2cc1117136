// How src/tim runs a use case on the accounts: in one write transaction that the store opens,
// commits when the use case returns, and runs again from the start when it lost to another
// write (a lock conflict or deadlock, a cluster's certification, on MariaDB a row another
// writer inserted first).
#pragma once

#include "port/AccountTransaction.h"

#include <functional>
#include <stdexcept>

namespace port {

// Thrown by a use case inside a run when what it locked is not as it read it (a row another
// write changed or a cluster aborted): the run starts again from the beginning.
class RunAgain : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class AccountTransactions {
  public:
    virtual ~AccountTransactions() = default;

    // Runs `work` in a transaction committed when it returns (rolled back when it called
    // AccountTransaction::discard), rolled back when it throws. It
    // may run more than once: `work` sets what it reports on each run, never adds to it. Inside,
    // `work` uses only the transaction it is given, never another store call (on SQLite the
    // writer lock is held). Throws the store's errors (port/StoreErrors.h).
    virtual void run(const std::function<void(AccountTransaction&)>& work) = 0;
};

}  // namespace port
