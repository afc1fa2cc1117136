#include "SqlAccountTransactions.h"

#include "SqlAccountTransaction.h"
#include "store/engine/Retry.h"
#include "store/engine/StoreFailures.h"

namespace store {

void SqlAccountTransactions::run(const std::function<void(port::AccountTransaction&)>& work) {
    const SqlDialect& dialect = _database.dialect();
    const GroupCommit::Write write = [&](Poco::Data::Session& session) {
        SqlAccountTransaction transaction(session, dialect);
        try {
            work(transaction);
        } catch (const port::RunAgain& e) {
            throw RowVanished(e.what());
        } catch (const Poco::Exception& e) {
            // Uniqueness a client can break is the transaction's Conflict already (GroupRows,
            // UserRows): this one is another writer's row, such as hosts starting at once that
            // list the same roles, or two requests granting one role. The use case runs again
            // and reads it. On SQLite writers take turns: a constraint error there is no race.
            if (dialect.engine() != Engine::SQLite && dialect.isUniqueViolation(e)) {
                throw InsertRaceLost(e.displayText());
            }
            throw;
        }
        return !transaction.discarded();
    };
    storeCall([&] { _commits.run(write); });
}

}  // namespace store
