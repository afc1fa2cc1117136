#include "Purger.h"

#include "store/engine/StoreFailures.h"

#include "store/accounts/AuditTrail.h"
#include "store/accounts/UserErasure.h"
#include "store/engine/Retry.h"
#include "store/engine/SqlSupport.h"
#include "store/engine/WriteTransaction.h"

#include <Poco/Data/Statement.h>
#include <Poco/NumberParser.h>

namespace store {

using namespace Poco::Data::Keywords;

namespace {

constexpr const char* kPurgeLock = "tim_scim_purge";
constexpr const char* kLastRunKey = "purge.lastRun";

Poco::Int64 toMs(const Poco::Timestamp& t) {
    return t.epochMicroseconds() / 1000;
}

}  // namespace

std::size_t Purger::purgeAudit(Poco::Data::Session& session, Poco::Int64 beforeMs) {
    std::size_t deleted = 0;
    for (;;) {  // in batches, like the users: no long lock on the audit table
        // (rows found, rows deleted) of one committed batch
        const auto batch = withRetry(_database.dialect(), [&] {
            WriteTransaction tx(session, _database.dialect());
            std::vector<Poco::Int64> ids;
            Poco::Data::Statement select(session);
            std::vector<SqlParam> params{numberParam(beforeMs),
                                         numberParam(static_cast<Poco::Int64>(_policy.batchSize))};
            select << "SELECT id FROM scim_audit WHERE at_ms < ? ORDER BY id LIMIT ?";
            bindAll(select, params);
            select, into(ids);
            select.execute();
            std::size_t removed = 0;
            if (!ids.empty()) {
                std::vector<SqlParam> idParams;
                for (const auto id : ids) {
                    idParams.push_back(numberParam(id));
                }
                removed = executeOnce(
                    session, "DELETE FROM scim_audit WHERE id IN " + placeholders(ids.size()),
                    idParams);
            }
            tx.commit();
            return std::make_pair(ids.size(), removed);
        });
        deleted += batch.second;
        if (batch.first < _policy.batchSize) {
            return deleted;
        }
    }
}

port::PurgeResult Purger::run(const Poco::Timestamp& now) {
    return storeCall([&]() -> port::PurgeResult {
        port::PurgeResult result;
        Poco::Data::Session session = _database.session();
        const SqlDialect& dialect = _database.dialect();
        if (!dialect.tryLockJob(session, kPurgeLock)) {
            return result;
        }
        result.ran = true;
        try {
            const Poco::Int64 deletedBefore = toMs(_policy.deletedRetention(now));
            // With disabled users excluded, no disabled_ms is old enough.
            const Poco::Int64 disabledBefore =
                _policy.disabledRetention ? toMs((*_policy.disabledRetention)(now)) : 0;
            // Each batch is a transaction of its own, run again if it loses to a concurrent write
            // (on a cluster, to another node's): counted only once it committed.
            for (;;) {
                const port::PurgeResult batch = withRetry(dialect, [&] {
                    return purgeUserBatch(session, deletedBefore, disabledBefore);
                });
                result.users += batch.users;
                result.memberships += batch.memberships;
                result.roleAssignments += batch.roleAssignments;
                if (batch.batches == 0) {
                    break;
                }
                ++result.batches;
                if (batch.users < _policy.batchSize) {
                    break;
                }
            }
            if (_policy.auditRetention) {
                result.auditRows = purgeAudit(session, toMs((*_policy.auditRetention)(now)));
            }
            dialect.dropStaleWriteMarkers(session);
            withRetry(dialect, [&] {
                WriteTransaction tx(session, dialect);
                std::vector<SqlParam> state{textParam(kLastRunKey),
                                            textParam(std::to_string(toMs(now)))};
                executeOnce(session, "DELETE FROM scim_state WHERE name = ?", {state[0]});
                executeOnce(session, "INSERT INTO scim_state (name, value) VALUES (?, ?)", state);
                tx.commit();
            });
        } catch (...) {
            dialect.unlockJob(session, kPurgeLock);
            throw;
        }
        dialect.unlockJob(session, kPurgeLock);
        return result;
    });
}

port::PurgeResult Purger::purgeUserBatch(Poco::Data::Session& session, Poco::Int64 deletedBefore,
                                         Poco::Int64 disabledBefore) {
    const SqlDialect& dialect = _database.dialect();
    port::PurgeResult batch;
    WriteTransaction tx(session, dialect);
    std::vector<std::string> ids;
    std::vector<Poco::Nullable<std::string>> externalIds;
    Poco::Data::Statement select(session);
    std::vector<SqlParam> params{numberParam(deletedBefore), numberParam(disabledBefore),
                                 numberParam(static_cast<Poco::Int64>(_policy.batchSize))};
    select << std::string(
                  // Only SCIM's own: an account TIM created and SCIM never bound is TIM's
                  // to delete, disabled or not.
                  "SELECT id, external_id FROM tim_user WHERE kind = 'person' AND managed = 1 "
                  "AND ("
                  "(deleted_ms IS NOT NULL AND deleted_ms < ?) OR "
                  "(deleted_ms IS NULL AND active = 0 AND disabled_ms < ?)) "
                  "ORDER BY id LIMIT ?") +
                  dialect.forUpdate();
    bindAll(select, params);
    select, into(ids), into(externalIds);
    select.execute();
    if (ids.empty()) {
        tx.commit();
        return batch;
    }
    std::vector<ErasedUser> users;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        users.push_back({ids[i], externalIds[i]});
    }
    const Erasure erased = eraseUsers(session, users, "applied");
    batch.users = erased.users;
    batch.memberships = erased.memberships;
    batch.roleAssignments = erased.roleAssignments;
    tx.commit();
    batch.batches = 1;
    return batch;
}

std::optional<Poco::Timestamp> Purger::lastRun() {
    return storeCall([&]() -> std::optional<Poco::Timestamp> {
        Poco::Data::Session session = _database.session();
        std::vector<std::string> values;
        std::string key = kLastRunKey;
        session << "SELECT value FROM scim_state WHERE name = ?", use(key), into(values), now;
        Poco::Int64 ms = 0;
        if (values.empty() || !Poco::NumberParser::tryParse64(values.front(), ms)) {
            return std::nullopt;
        }
        return Poco::Timestamp(ms * 1000);
    });
}

}  // namespace store
