#include "SqlAccountTransactions.h"

#include "Retry.h"
#include "SqlAccountTransaction.h"
#include "StoreFailures.h"
#include "WriteTransaction.h"

namespace store {

void SqlAccountTransactions::run(const std::function<void(port::AccountTransaction&)>& work) try {
    const SqlDialect& dialect = _database.dialect();
    Poco::Data::Session session = _database.session();
    withRetry(dialect, [&] {
        WriteTransaction tx(session, dialect);
        SqlAccountTransaction transaction(session, dialect);
        try {
            work(transaction);
        } catch (const Poco::Exception& e) {
            // Uniqueness a client can break is the transaction's Conflict already (GroupRows):
            // this one is another writer's row, such as hosts starting at once that list the
            // same roles. The use case runs again and reads it.
            if (dialect.isUniqueViolation(e)) {
                throw InsertRaceLost(e.displayText());
            }
            throw;
        }
        tx.commit();
    });
} catch (...) {
    rethrowAsStoreError();
}

}  // namespace store
