#include "UserRepository.h"

#include "AuditTrail.h"
#include "QueryRunner.h"
#include "Retry.h"
#include "SqlSupport.h"
#include "UserColumns.h"
#include "WriteTransaction.h"

#include "scim/CaseFold.h"
#include "scim/ScimError.h"
#include "scim/filter/Evaluator.h"
#include "tim/Passwords.h"

#include <Poco/Data/Statement.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

namespace store {

using namespace Poco::Data::Keywords;

namespace {

constexpr const char* kRecordColumns = "u.id, u.doc, u.version, u.created_ms, u.modified_ms";
// disabled_ms records when active became false (kept while it stays false); binds (active, now).
#define TIM_DISABLED_SINCE \
    "disabled_ms = CASE WHEN ? = 1 THEN NULL ELSE COALESCE(disabled_ms, ?) END"
constexpr const char* kVisible = "u.kind = 'person' AND u.deleted_ms IS NULL";
std::string visibleUnindexed(const SqlDialect& dialect) {
    return visibleUserUnindexed(dialect, "u.");
}

// A user's roles as records carry them: sorted, a role held from several sources once.
void sortDistinct(std::vector<std::string>& roles) {
    std::sort(roles.begin(), roles.end());
    roles.erase(std::unique(roles.begin(), roles.end()), roles.end());
}

// Fills in the roles of `users` (one statement for all of them).
void readRoles(Poco::Data::Session& session, std::vector<UserRecord>& users) {
    if (users.empty()) {
        return;
    }
    std::vector<SqlParam> ids;
    std::map<std::string, UserRecord*> byId;
    for (auto& user : users) {
        ids.push_back(textParam(user.id));
        byId[user.id] = &user;
    }
    const auto& rows = runPrepared(
        session,
        // No DISTINCT (MariaDB would build a temporary table for it on every read).
        "SELECT ur.user_id, r.name FROM tim_user_role ur JOIN tim_role r ON r.name_key = "
        "ur.role_key WHERE ur.user_id IN " +
            placeholders(ids.size()),
        ids, {ColumnType::Text, ColumnType::Text});
    for (std::size_t i = 0; i < rows.rows(); ++i) {
        byId.at(rows.text(0)[i])->roles.push_back(rows.text(1)[i]);
    }
    for (auto& user : users) {
        sortDistinct(user.roles);
    }
}

// Users (with their roles) from a SELECT of kRecordColumns.
std::vector<UserRecord> readUsers(Poco::Data::Session& session, const std::string& sql,
                                  std::vector<SqlParam> params) {
    auto users = readRecords<UserRecord>(session, sql, std::move(params));
    readRoles(session, users);
    return users;
}

// The users matching `where` with their roles in one statement: a row per role, folded here
// (no ORDER BY: with the documents in the rows, MariaDB would sort them in an on-disk
// temporary table). For reads of one user, where no LIMIT is needed.
std::vector<UserRecord> readUsersWithRoles(Poco::Data::Session& session, const std::string& where,
                                           std::vector<SqlParam> params) {
    const auto& rows = runPrepared(
        session,
        // Two plain LEFT JOINs: SQLite materialises a parenthesised join over every row.
        "SELECT u.id, u.doc, u.version, u.created_ms, u.modified_ms, r.name FROM tim_user u LEFT "
        "JOIN tim_user_role ur ON ur.user_id = u.id LEFT JOIN tim_role r ON r.name_key = "
        "ur.role_key WHERE " +
            where,
        params,
        {ColumnType::Text, ColumnType::Text, ColumnType::Integer, ColumnType::Integer,
         ColumnType::Integer, ColumnType::NullableText});
    std::vector<UserRecord> users;
    std::map<std::string, std::size_t> indexOf;
    for (std::size_t i = 0; i < rows.rows(); ++i) {
        const std::string& id = rows.text(0)[i];
        if (indexOf.emplace(id, users.size()).second) {
            users.push_back(UserRecord{id,
                                       parseDocument(rows.text(1)[i]),
                                       rows.integer(2)[i],
                                       rows.integer(3)[i],
                                       rows.integer(4)[i],
                                       {}});
        }
        if (!rows.nullableText(5)[i].isNull()) {
            users[indexOf[id]].roles.push_back(rows.nullableText(5)[i].value());
        }
    }
    for (auto& user : users) {
        sortDistinct(user.roles);
    }
    return users;
}

// The user `id` with its roles, visible or not.
std::vector<UserRecord> readUser(Poco::Data::Session& session, const std::string& id,
                                 bool visibleOnly) {
    return readUsersWithRoles(
        session, std::string("u.id = ?") + (visibleOnly ? std::string(" AND ") + kVisible : ""),
        {textParam(id)});
}

std::string toJson(const Poco::JSON::Object::Ptr& doc) {
    return documentText(doc, kMaxUserDocumentBytes);
}

// How the audit names an update: disable and enable (Entra's soft delete and its undo) by
// themselves, anything else as the write it was.
const char* userWrite(const char* write, const UserColumns& before, const UserColumns& after) {
    if (before.active != after.active) {
        return after.active ? "enable" : "disable";
    }
    return write;
}

// The names an audit row lists: a password is named when set, never shown.
std::vector<std::string> withPassword(std::vector<std::string> names, bool passwordSet) {
    if (passwordSet) {
        names.push_back("password");
    }
    return names;
}

scim::ScimError userNameTaken(const std::string& userName, const std::string& holderId) {
    return scim::conflict("userName \"" + userName + "\" is already in use" +
                          (holderId.empty() ? "" : " by user " + holderId));
}

// A user a create request may collide with, and how it was found.
enum class Found { ById = 0, ByName = 1, ByEmail = 2 };
struct Existing {
    Found via;
    std::string id;
    std::string kind;
    Poco::Nullable<std::string> externalId;
    Poco::Nullable<Poco::Int64> deletedMs;
};

// `select` yields (via, id, kind, external_id, deleted_ms).
std::vector<Existing> selectExisting(Poco::Data::Session& session, const std::string& select,
                                     const std::vector<SqlParam>& params) {
    const auto& found = runPrepared(session, select, params,
                                    {ColumnType::Integer, ColumnType::Text, ColumnType::Text,
                                     ColumnType::NullableText, ColumnType::NullableInteger});
    std::vector<Existing> rows;
    for (std::size_t i = 0; i < found.rows(); ++i) {
        rows.push_back(Existing{static_cast<Found>(found.integer(0)[i]), found.text(1)[i],
                                found.text(2)[i], found.nullableText(3)[i],
                                found.nullableInteger(4)[i]});
    }
    return rows;
}

std::string existingBy(Found via, const std::string& where) {
    return "SELECT " + std::to_string(static_cast<int>(via)) +
           ", u.id, u.kind, u.external_id, u.deleted_ms FROM tim_user u WHERE " + where;
}

// Reads the candidates without locking ranges (on InnoDB, FOR UPDATE on a key that does not
// exist takes a gap lock, and two concurrent creates then deadlock at their inserts); the
// unique index settles insert races, and a candidate found is locked by its id.
std::string lockedCandidate(Poco::Data::Session& session, const SqlDialect& dialect,
                            const std::string& id) {
    const auto rows = selectExisting(
        session, existingBy(Found::ById, "u.id = ?") + dialect.forUpdate(), {textParam(id)});
    return rows.empty() ? "" : rows.front().id;
}

// The user a create request binds to (guide FAQ 4), or "" to create a new one. One statement
// looks up the userName and both email columns.
std::string bindingTarget(Poco::Data::Session& session, const SqlDialect& dialect,
                          const UserColumns& columns) {
    std::vector<SqlParam> emailKeys;
    for (const auto* key : {&columns.emailKey, &columns.workEmailKey}) {
        if (!key->isNull()) {
            emailKeys.push_back(textParam(key->value()));
        }
    }
    std::string select = existingBy(Found::ByName, "u.user_name_key = ?");
    std::vector<SqlParam> params{textParam(columns.userNameKey)};
    // One index per column: an OR across the two made SQLite scan every user.
    for (const char* column : {"u.email_key", "u.work_email_key"}) {
        if (!emailKeys.empty()) {
            select += " UNION ALL " +
                      existingBy(Found::ByEmail, visibleUnindexed(dialect) + " AND " + column +
                                                     " IN " + placeholders(emailKeys.size()));
            params.insert(params.end(), emailKeys.begin(), emailKeys.end());
        }
    }
    const auto candidates = selectExisting(session, select, params);
    for (const Existing& row : candidates) {
        if (row.via != Found::ByName) {
            continue;
        }
        if (row.kind != "person") {
            throw scim::conflict("userName \"" + columns.userName + "\" is reserved");
        }
        if (!row.deletedMs.isNull() || row.externalId.isNull()) {
            return lockedCandidate(session, dialect, row.id);  // revive, or bind a TIM user
        }
        throw userNameTaken(columns.userName, row.id);
    }
    std::set<std::string> byEmail;
    bool provisioned = false;
    for (const Existing& row : candidates) {
        byEmail.insert(row.id);
        provisioned = provisioned || !row.externalId.isNull();
    }
    if (byEmail.empty()) {
        return "";
    }
    if (byEmail.size() > 1 || provisioned) {
        throw scim::conflict("A user with the email of \"" + columns.userName +
                             "\" already exists and is provisioned");
    }
    return lockedCandidate(session, dialect, *byEmail.begin());
}

}  // namespace

CreateResult UserRepository::createOrBind(const Poco::JSON::Object::Ptr& doc,
                                          const std::string& passwordHash, bool clientPassword) {
    UserColumns c = userColumnsOf(doc);
    std::string json = toJson(doc);
    Poco::Int64 now = nowMs();
    int active = c.active ? 1 : 0;
    std::string hash = passwordHash;
    Poco::Nullable<std::string> storedHash;
    if (!hash.empty()) {
        storedHash = hash;
    }
    int mustChange = clientPassword ? 0 : 1;

    Poco::Data::Session session = _database.session();
    CreateResult result;
    try {
        withRetry(_database.dialect(), [&] {
            WriteTransaction tx(session, _database.dialect());
            std::string id = bindingTarget(session, _database.dialect(), c);
            if (id.empty()) {
                id = newId();
                runPrepared(session,
                            "INSERT INTO tim_user (id, user_name, user_name_key, kind, active, "
                            "created_ms, modified_ms, external_id, email_key, work_email_key, "
                            "manager_id, doc, version, password_hash, password_change_required, "
                            "disabled_ms) VALUES (?, ?, ?, 'person', ?, ?, ?, ?, ?, ?, ?, ?, 1, "
                            "?, ?, CASE WHEN ? = 1 THEN NULL ELSE ? END)",
                            {textParam(id), textParam(c.userName), textParam(c.userNameKey),
                             numberParam(active), numberParam(now), numberParam(now),
                             nullableTextParam(c.externalId), nullableTextParam(c.emailKey),
                             nullableTextParam(c.workEmailKey), nullableTextParam(c.managerId),
                             textParam(json), nullableTextParam(storedHash),
                             numberParam(mustChange), numberParam(active), numberParam(now)});
                result.outcome = CreateOutcome::Created;
                result.passwordSet = !storedHash.isNull();
                if (_onCreated) {
                    result.restored =
                        _onCreated(session, _database.dialect(), id, c.externalId, c.userNameKey);
                }
            } else {
                session << "UPDATE tim_user SET user_name = ?, user_name_key = ?, active = "
                           "?, " TIM_DISABLED_SINCE
                           ", "
                           ""
                           "modified_ms = ?, external_id = ?, email_key = ?, work_email_key = ?, "
                           "manager_id = ?, doc = ?, version = version + 1, deleted_ms = NULL "
                           "WHERE id = ?",
                    use(c.userName), use(c.userNameKey), use(active), use(active), use(now),
                    use(now), use(c.externalId), use(c.emailKey), use(c.workEmailKey),
                    use(c.managerId), use(json), use(id), Poco::Data::Keywords::now;
                if (clientPassword) {
                    session
                        << "UPDATE tim_user SET password_hash = ?, password_change_required = 0 "
                           "WHERE id = ?",
                        use(storedHash), use(id), Poco::Data::Keywords::now;
                }
                result.outcome = CreateOutcome::Bound;
                result.passwordSet = clientPassword;
            }
            recordAudit(session,
                        {result.outcome == CreateOutcome::Created ? "create" : "bind", "User", id,
                         c.externalId, withPassword(attributesOf(doc), !storedHash.isNull()),
                         result.restored.empty() ? "applied" : "restored"});
            if (result.outcome == CreateOutcome::Created && result.restored.empty()) {
                result.record = UserRecord{id, doc, 1, now, now, {}};  // what was inserted
            } else {
                auto records = readUser(session, id, false);
                if (records.empty()) {
                    throw RowVanished("user " + id);
                }
                result.record = std::move(records.front());
            }
            tx.commit();
        });
    } catch (const Poco::Exception& e) {
        if (_database.dialect().isUniqueViolation(e)) {
            throw userNameTaken(c.userName,
                                holderOf(_database.session(), "tim_user", "user_name_key",
                                         c.userNameKey));  // a concurrent create won
        }
        throw;
    }
    return result;
}

std::optional<UserRecord> UserRepository::find(const std::string& id) {
    Poco::Data::Session session = _database.session();
    auto records = readUser(session, id, true);
    if (records.empty()) {
        return std::nullopt;
    }
    return std::move(records.front());
}

namespace {

// Locks the visible user `id` for a write and checks If-Match; returns its version.
Poco::Int64 lockForWrite(Poco::Data::Session& session, const SqlDialect& dialect,
                         const std::string& id, std::optional<Poco::Int64> expectedVersion) {
    const auto& versions =
        runPrepared(session,
                    std::string("SELECT u.version FROM tim_user u WHERE u.id = ? AND ") + kVisible +
                        dialect.forUpdate(),
                    {textParam(id)}, {ColumnType::Integer})
            .integer(0);
    if (versions.empty()) {
        throw scim::notFound("No user " + id);
    }
    if (expectedVersion && *expectedVersion != versions.front()) {
        throw scim::ScimError(412, "",
                              "The user changed since version " + std::to_string(*expectedVersion) +
                                  "; read it again");
    }
    return versions.front();
}

}  // namespace

UserRecord UserRepository::replace(const std::string& id, const Poco::JSON::Object::Ptr& doc,
                                   const std::optional<std::string>& passwordHash,
                                   std::optional<Poco::Int64> expectedVersion) {
    UserColumns c = userColumnsOf(doc);
    std::string json = toJson(doc);
    Poco::Int64 modified = nowMs();
    int active = c.active ? 1 : 0;
    std::string key = id;
    Poco::Data::Session session = _database.session();
    try {
        return withRetry(_database.dialect(), [&] {
            WriteTransaction tx(session, _database.dialect());
            lockForWrite(session, _database.dialect(), id, expectedVersion);
            const auto before = readUser(session, id, false);
            session
                << "UPDATE tim_user SET user_name = ?, user_name_key = ?, active = "
                   "?, " TIM_DISABLED_SINCE
                   ", "
                   "modified_ms "
                   "= ?, "
                   "external_id = ?, email_key = ?, work_email_key = ?, manager_id = ?, doc = ?, "
                   "version = version + 1 WHERE id = ?",
                use(c.userName), use(c.userNameKey), use(active), use(active), use(modified),
                use(modified), use(c.externalId), use(c.emailKey), use(c.workEmailKey),
                use(c.managerId), use(json), use(key), now;
            if (passwordHash) {
                std::string hash = *passwordHash;
                session
                    << "UPDATE tim_user SET password_hash = ?, password_change_required = 0 WHERE "
                       "id = ?",
                    use(hash), use(key), now;
            }
            recordAudit(session, {userWrite("replace", userColumnsOf(before.front().doc), c),
                                  "User", id, c.externalId,
                                  withPassword(changedAttributes(before.front().doc, doc),
                                               passwordHash.has_value())});
            auto records = readUser(session, id, false);
            tx.commit();
            return std::move(records.front());
        });
    } catch (const Poco::Exception& e) {
        if (_database.dialect().isUniqueViolation(e)) {
            throw userNameTaken(c.userName, holderOf(_database.session(), "tim_user",
                                                     "user_name_key", c.userNameKey));
        }
        throw;
    }
}

UserRecord UserRepository::patch(
    const std::string& id,
    const std::function<scim::NormalisedResource(const Poco::JSON::Object::Ptr&)>& change,
    std::optional<Poco::Int64> expectedVersion) {
    // Optimistic: compute the new document (and hash a password) without holding a lock,
    // then write it only if the version is still the one it was computed from.
    constexpr int kAttempts = 5;
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        const auto current = find(id);
        if (!current) {
            throw scim::notFound("No user " + id);
        }
        if (expectedVersion && *expectedVersion != current->version) {
            throw scim::ScimError(412, "",
                                  "The user changed since version " +
                                      std::to_string(*expectedVersion) + "; read it again");
        }
        const scim::NormalisedResource changed = change(current->doc);
        std::string json = toJson(changed.doc);
        if (json == toJson(current->doc) && !changed.password) {
            return *current;  // nothing changed: version and lastModified stay
        }
        Poco::Nullable<std::string> hash;
        if (changed.password) {
            hash = tim::hashPassword(*changed.password);
        }
        UserColumns c = userColumnsOf(changed.doc);
        Poco::Int64 modified = nowMs();
        Poco::Int64 version = current->version;
        int active = c.active ? 1 : 0;
        std::string key = id;
        Poco::Data::Session session = _database.session();
        try {
            std::optional<UserRecord> written;
            const bool wrote = withRetry(_database.dialect(), [&] {
                WriteTransaction tx(session, _database.dialect());
                Poco::Data::Statement update(session);
                update << "UPDATE tim_user SET user_name = ?, user_name_key = ?, active = "
                          "?, " TIM_DISABLED_SINCE
                          ", "
                          ""
                          "modified_ms = ?, external_id = ?, email_key = ?, work_email_key = ?, "
                          "manager_id = ?, doc = ?, version = version + 1, "
                          "password_hash = COALESCE(?, password_hash) "
                          "WHERE id = ? AND version = ? AND deleted_ms IS NULL",
                    use(c.userName), use(c.userNameKey), use(active), use(active), use(modified),
                    use(modified), use(c.externalId), use(c.emailKey), use(c.workEmailKey),
                    use(c.managerId), use(json), use(hash), use(key), use(version);
                if (update.execute() == 0) {
                    return false;  // changed or deleted meanwhile: start again
                }
                recordAudit(session, {userWrite("patch", userColumnsOf(current->doc), c), "User",
                                      id, c.externalId,
                                      withPassword(changedAttributes(current->doc, changed.doc),
                                                   changed.password.has_value())});
                // Read back in the transaction: a DELETE right after the commit must not
                // leave this request without the record it wrote.
                written = std::move(readUser(session, id, false).front());
                tx.commit();
                return true;
            });
            if (wrote) {
                return std::move(*written);
            }
        } catch (const Poco::Exception& e) {
            if (_database.dialect().isUniqueViolation(e)) {
                throw userNameTaken(c.userName, holderOf(_database.session(), "tim_user",
                                                         "user_name_key", c.userNameKey));
            }
            throw;
        }
    }
    throw scim::ScimError(409, "", "The user is being changed by other requests; retry");
}

bool UserRepository::remove(const std::string& id, std::optional<Poco::Int64> expectedVersion) {
    Poco::Data::Session session = _database.session();
    return withRetry(_database.dialect(), [&] {
        WriteTransaction tx(session, _database.dialect());
        try {
            lockForWrite(session, _database.dialect(), id, expectedVersion);
        } catch (const scim::ScimError& e) {
            if (e.status() == 404) {
                return false;
            }
            throw;
        }
        Poco::Int64 when = nowMs();
        std::string key = id;
        Poco::Nullable<std::string> externalId;
        session << "SELECT external_id FROM tim_user WHERE id = ?", into(externalId), use(key), now;
        session << "UPDATE tim_user SET deleted_ms = ?, active = 0, modified_ms = ?, "
                   "disabled_ms = COALESCE(disabled_ms, ?), "
                   "version = version + 1 WHERE id = ?",
            use(when), use(when), use(when), use(key), now;
        recordAudit(session, {"delete", "User", id, externalId, {}});
        tx.commit();
        return true;
    });
}

std::optional<std::string> UserRepository::displayNameOf(const std::string& id) {
    const auto record = find(id);
    if (!record) {
        return std::nullopt;
    }
    const auto& doc = record->doc;
    return doc->has("displayName") && doc->get("displayName").isString()
               ? doc->getValue<std::string>("displayName")
               : std::string();
}

UserPage UserRepository::query(const UserQuery& query, const RenderUser& render) {
    const QuerySpec<UserRecord> spec{"u",
                                     "tim_user u",
                                     kVisible,
                                     visibleUnindexed(_database.dialect()),
                                     kRecordColumns,
                                     &userColumns(),
                                     &scim::userResourceSchema(),
                                     readUsers,
                                     readUsersWithRoles};
    Poco::Data::Session session = _database.session();
    return runQuery(session, spec, query, render);
}

}  // namespace store
