// One write transaction: begun the engine's way, rolled back unless committed (also when an
// exception leaves the scope). Plain COMMIT/ROLLBACK statements, not Poco's Session::begin():
// with Poco's MySQL connector that switches autocommit off for good, and a pooled session
// then keeps every later statement in an implicit transaction (stale reads, lost writes).
#pragma once

#include "PreparedStatements.h"
#include "SqlDialect.h"

#include <Poco/Data/Session.h>

namespace store {

class WriteTransaction {
  public:
    WriteTransaction(Poco::Data::Session& session, const SqlDialect& dialect)
        : _session(session), _dialect(dialect) {
        _marker = _dialect.beginWrite(_session);
    }
    ~WriteTransaction() {
        if (!_done) {
            try {
                runPrepared(_session, "ROLLBACK", {});
            } catch (...) {
                // The connection is gone: the server rolls back on its own.
            }
            _dialect.endWrite(_session);
        }
    }
    WriteTransaction(const WriteTransaction&) = delete;
    WriteTransaction& operator=(const WriteTransaction&) = delete;

    void commit() {
        _dialect.commitWrite(_session, _marker);
        _done = true;
        _dialect.endWrite(_session);
    }

  private:
    Poco::Data::Session& _session;
    const SqlDialect& _dialect;
    std::string _marker;
    bool _done = false;
};

}  // namespace store
