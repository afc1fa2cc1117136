// Helpers every repository shares: time, JSON documents in TEXT columns, dynamic binding.
#pragma once

#include "PreparedStatements.h"
#include "SqlDialect.h"
#include "store/query/FilterSql.h"

#include "port/Documents.h"
#include "port/Ids.h"

#include <Poco/Data/Statement.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <string>
#include <vector>

namespace store {

// Now, in whole seconds as epoch milliseconds: meta times are rendered to the second and
// filters compare them exactly.
Poco::Int64 nowMs();

using port::newId;

// The id of the row of `table` whose unique `keyColumn` holds `key` (table and column from code,
// never from input), to name the holder in a uniqueness conflict; "" when there is none, it
// cannot be read (a lock `shownOnly` asks for not granted in time included), or it fails the
// condition `shownOnly` (an account SCIM must not name).
std::string holderOf(Poco::Data::Session session, const std::string& table,
                     const std::string& keyColumn, const std::string& key,
                     const std::string& shownOnly = "");

// The unique key a write may break, and who may be named as its holder.
struct UniqueKey {
    std::string table;      // from code, never from input
    std::string keyColumn;  // from code, never from input
    std::string key;
    std::string shownOnly;  // as holderOf's
};

// Runs `write` (one statement); when it breaks `unique`, throws `conflict(holderId)`. The
// statement failed alone and the transaction reads on; the holder is read with a shared lock,
// since it may have committed after this transaction's snapshot began (two losers of one race
// share it without a deadlock).
template <typename Write, typename Conflict>
void writeUnique(Poco::Data::Session& session, const SqlDialect& dialect, const UniqueKey& unique,
                 Write&& write, Conflict&& conflict) {
    try {
        write();
    } catch (const Poco::Exception& e) {
        if (!dialect.isUniqueViolation(e)) {
            throw;
        }
        throw conflict(
            holderOf(session, unique.table, unique.keyColumn, unique.key,
                     (unique.shownOnly.empty() ? "1 = 1" : unique.shownOnly) + dialect.forShare()));
    }
}

using port::documentText;
Poco::JSON::Object::Ptr parseDocument(const std::string& text);

// Binds params in order; they must outlive the statement's execution.
void bindAll(Poco::Data::Statement& statement, std::vector<SqlParam>& params);

// Runs a statement made for this call (not kept: its text varies, like an IN list's length)
// with `params` bound in order; returns the rows it changed.
std::size_t executeOnce(Poco::Data::Session& session, const std::string& sql,
                        std::vector<SqlParam> params);

// "(?, ?, ?)" for n parameters.
std::string placeholders(std::size_t n);

// An IN list for a kept statement (runPrepared): "(?, ?, ...)" and its parameters, `values`
// padded to the next power of two by repeating the last (IN is a set: a value twice matches as
// once). Lists of every length then share a few prepared statements, instead of one each
// filling the connection's cache of 64 and evicting the hot ones. `values` is not empty.
struct InList {
    std::string sql;
    std::vector<SqlParam> params;
};
InList keptInList(std::vector<SqlParam> values);

// The length a list of `n` values is padded to for a kept statement: the next power of two.
std::size_t keptLength(std::size_t n);

// ids per multi-row statement: a power of two, so that a chunk padded to a kept length
// (keptLength) is never longer.
inline constexpr std::size_t kChunk = 256;

std::vector<SqlParam> texts(const std::vector<std::string>& values);

// Calls fn with consecutive slices of at most kChunk items (ids, or rows to insert).
template <typename T, typename Fn>
void inChunks(const std::vector<T>& items, Fn&& fn) {
    for (std::size_t start = 0; start < items.size(); start += kChunk) {
        const auto end = std::min(items.size(), start + kChunk);
        const std::vector<T> chunk(items.begin() + static_cast<long>(start),
                                   items.begin() + static_cast<long>(end));
        fn(chunk);
    }
}

// The VALUES list of a multi-row INSERT: `row` (such as "(?, ?)") n times, comma-separated.
std::string rowsOf(std::size_t n, const std::string& row);

// The first column of every row of a SELECT.
std::vector<std::string> selectIds(Poco::Data::Session& session, const std::string& sql,
                                   std::vector<SqlParam> params);

// The columns of a record {id, doc, version, created_ms, modified_ms}, then `more`.
std::vector<ColumnType> recordColumnTypes(std::vector<ColumnType> more = {});

// Row `i` of a SELECT that starts with a record's columns; Record is port::UserRecord or
// port::GroupRecord.
template <typename Record>
Record recordAt(const PreparedResult& rows, std::size_t i) {
    Record record{};
    record.id = rows.text(0)[i];
    record.doc = parseDocument(rows.text(1)[i]);
    record.version = rows.integer(2)[i];
    record.createdMs = rows.integer(3)[i];
    record.modifiedMs = rows.integer(4)[i];
    return record;
}

// Whole records from a SELECT of a record's columns, in that order.
template <typename Record>
std::vector<Record> readRecords(Poco::Data::Session& session, const std::string& sql,
                                std::vector<SqlParam> params) {
    const auto& rows = runPrepared(session, sql, params, recordColumnTypes());
    std::vector<Record> records;
    records.reserve(rows.rows());
    for (std::size_t i = 0; i < rows.rows(); ++i) {
        records.push_back(recordAt<Record>(rows, i));
    }
    return records;
}

// Persons not deleted (`prefix` is a table alias with its dot, or "").
std::string person(const std::string& prefix);

// The ids of users holding a protected role (tim_role.internal: scim.roles.internal and
// scim.binding.protectedRoles) that TIM granted: a SELECT of pr.user_id, to which a caller may
// add "AND ...". A role SCIM granted (of a role made protected since) hides no account: the
// recompute at start must still reach it to revoke that grant.
// Lists and counts test it in SQL; reads of one row test it in C++ from the roles they join.
const std::string& protectedRoleHolders();

// Whether tim_user `o` is an account out of SCIM's reach: a system identity, or an unmanaged
// holder of a protected role. Their memberships survive every group write.
const std::string& outOfReachUser();

// Whether the account `idColumn` names is out of SCIM's reach: its one row looked up by key.
// (An uncorrelated "NOT IN (SELECT ... out of reach)" reads every user to build a small set:
// 1.27 s per member removed at 1,000,000 users.)
std::string outOfReachAccount(const std::string& idColumn);

// Users in SCIM's reach: persons not deleted that are managed (SCIM created or bound them), or
// unmanaged and holding no protected role that TIM granted (protectedRoleHolders). `prefix` is
// a table alias with its dot, or "".
std::string visibleUser(const std::string& prefix);

// How many users are in SCIM's reach, in one SELECT: the persons the triggers of scim_count
// keep counted, less the unmanaged holders of a protected role (a handful).
std::string visibleUserCount(const SqlDialect& dialect);

// The same, written so that no index serves the person and deletion columns: for next to a
// key look-up, where SQLite's planner would otherwise scan the listing index
// (kind, deleted_ms, ...) over every user.
std::string visibleUserUnindexed(const SqlDialect& dialect, const std::string& prefix);

// Persons not deleted, written so that no index serves the condition: reads of one row by a
// key check the rest of the reach themselves (outOfReach), without a subquery per statement.
std::string personUnindexed(const SqlDialect& dialect, const std::string& prefix);

}  // namespace store
