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
        work(transaction);
        tx.commit();
    });
} catch (...) {
    rethrowAsStoreError();
}

}  // namespace store
