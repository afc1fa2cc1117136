#include "UserRows.h"

#include "AuditTrail.h"
#include "Membership.h"
#include "UserErasure.h"
#include "store/engine/PreparedStatements.h"
#include "store/engine/Retry.h"

#include "port/StoreErrors.h"
#include "scim/UserSchemas.h"

#include <Poco/Data/Statement.h>

#include <algorithm>
#include <set>

namespace store {

using namespace Poco::Data::Keywords;

namespace {

const std::string& visible() {
    static const std::string condition = visibleUser("u.");
    return condition;
}

// Accounts a create request may collide with: (tag, id, kind, deleted_ms, managed, version,
// external_id) of the rows `where` selects, the tag a port::MatchedBy.
std::string candidatesWhere(port::MatchedBy via, const std::string& where) {
    return "SELECT " + std::to_string(static_cast<int>(via)) +
           ", u.id, u.kind, u.deleted_ms, u.managed, u.version, u.external_id FROM tim_user u "
           "WHERE " +
           where;
}

// In the candidates' columns, a user's snapshot: (kSnapshotTag, id, -, created_ms, -, -, -).
constexpr int kSnapshotTag = 9;
static_assert(kSnapshotTag > static_cast<int>(port::MatchedBy::Email), "a tag of its own");
std::string snapshotsOfExternalId() {
    return "SELECT " + std::to_string(kSnapshotTag) +
           ", s.id, 'snapshot', s.created_ms, 0, 0, NULL FROM scim_snapshot s "
           "WHERE s.kind = 'user' AND s.external_id = ?";
}

// Marks the unmanaged candidates that hold a protected role: a second statement, only when
// there are any (almost every create finds none, and a subquery in the first cost MariaDB).
void markProtected(Poco::Data::Session& session, std::vector<port::AccountCandidate>& candidates) {
    std::vector<SqlParam> unmanaged;
    for (const auto& account : candidates) {
        if (!account.managed) {
            unmanaged.push_back(textParam(account.id));
        }
    }
    if (unmanaged.empty()) {
        return;
    }
    const auto in = keptInList(std::move(unmanaged));
    const auto& holders =
        runPrepared(session, protectedRoleHolders() + " AND pr.user_id IN " + in.sql, in.params,
                    {ColumnType::Text})
            .text(0);
    const std::set<std::string> protectedIds(holders.begin(), holders.end());
    for (auto& account : candidates) {
        account.isProtected = protectedIds.count(account.id) > 0;
    }
}

std::vector<port::AccountCandidate> selectCandidates(Poco::Data::Session& session,
                                                     const std::string& select,
                                                     const std::vector<SqlParam>& params,
                                                     std::vector<SnapshotRow>& snapshots) {
    const auto& found = runPrepared(
        session, select, params,
        {ColumnType::Integer, ColumnType::Text, ColumnType::Text, ColumnType::NullableInteger,
         ColumnType::Integer, ColumnType::Integer, ColumnType::NullableText});
    std::vector<port::AccountCandidate> candidates;
    for (std::size_t i = 0; i < found.rows(); ++i) {
        if (found.integer(0)[i] == kSnapshotTag) {
            snapshots.push_back({found.text(1)[i], found.nullableInteger(3)[i].value()});
            continue;
        }
        port::AccountCandidate account;
        account.via = static_cast<port::MatchedBy>(found.integer(0)[i]);
        account.id = found.text(1)[i];
        account.person = found.text(2)[i] == "person";
        account.deleted = !found.nullableInteger(3)[i].isNull();
        account.managed = found.integer(4)[i] != 0;
        if (!found.nullableText(6)[i].isNull()) {
            account.externalId = found.nullableText(6)[i].value();
        }
        account.version = found.integer(5)[i];
        candidates.push_back(std::move(account));
    }
    markProtected(session, candidates);
    return candidates;
}

// The folded email a create may be bound by: TIM's email of the request.
std::vector<SqlParam> emailKeysOf(const port::UserColumns& columns) {
    if (columns.timEmailKey.isNull()) {
        return {};
    }
    return {textParam(columns.timEmailKey.value())};
}

// Every account the request's userName or emails name, and the snapshots of its externalId,
// in one statement. Read without range locks (on InnoDB, FOR UPDATE on a key that does not
// exist takes a gap lock, and two concurrent creates then deadlock at their inserts); the
// unique index settles insert races.
std::vector<port::AccountCandidate> findCandidates(Poco::Data::Session& session,
                                                   const SqlDialect& dialect,
                                                   const port::UserColumns& columns,
                                                   std::vector<SnapshotRow>& snapshots) {
    std::string select = candidatesWhere(port::MatchedBy::UserName, "u.user_name_key = ?");
    std::vector<SqlParam> params{textParam(columns.userNameKey)};
    const auto emailKeys = emailKeysOf(columns);
    // One index per column: an OR across the two made SQLite scan every user.
    for (const char* column : {"u.email_key", "u.work_email_key"}) {
        if (!emailKeys.empty()) {
            select +=
                " UNION ALL " + candidatesWhere(port::MatchedBy::Email,
                                                dialect.unindexed("u.kind") + " = 'person' AND " +
                                                    dialect.unindexed("u.deleted_ms") +
                                                    " IS NULL AND u.managed = 0 AND " + column +
                                                    " IN " + placeholders(emailKeys.size()));
            params.insert(params.end(), emailKeys.begin(), emailKeys.end());
        }
    }
    if (!columns.externalId.isNull()) {
        select += " UNION ALL " + snapshotsOfExternalId();
        params.push_back(textParam(columns.externalId.value()));
    }
    return selectCandidates(session, select, params, snapshots);
}

// A userName: unique, its holder named only when in SCIM's reach.
UniqueKey nameOf(const port::UserColumns& columns) {
    return {"tim_user", "user_name_key", columns.userNameKey, visibleUser("")};
}

}  // namespace

void sortDistinct(std::vector<std::string>& roles) {
    std::sort(roles.begin(), roles.end());
    roles.erase(std::unique(roles.begin(), roles.end()), roles.end());
}

// The users matching `where` with their roles in one statement: a row per role, folded here
// (no ORDER BY: with the documents in the rows, MariaDB would sort them in an on-disk
// temporary table). For reads of one user, where no LIMIT is needed. InReachOnly leaves out
// unmanaged holders of a protected role, from the roles read anyway (visibleUser's subquery
// in SQL cost MariaDB a third more CPU per read).
std::vector<port::UserRecord> readUsersWithRoles(Poco::Data::Session& session,
                                                 const std::string& where,
                                                 std::vector<SqlParam> params, Reach reach) {
    const auto& rows = runPrepared(
        session,
        // Two plain LEFT JOINs: SQLite materialises a parenthesised join over every row.
        "SELECT u.id, u.doc, u.version, u.created_ms, u.modified_ms, r.name, u.managed, "
        "r.internal, u.created_by_scim, ur.source FROM tim_user u LEFT JOIN tim_user_role ur ON "
        "ur.user_id = u.id LEFT JOIN tim_role r ON r.name_key = ur.role_key WHERE " +
            where,
        params,
        recordColumnTypes({ColumnType::NullableText, ColumnType::Integer,
                           ColumnType::NullableInteger, ColumnType::Integer,
                           ColumnType::NullableText}));
    std::vector<port::UserRecord> users;
    std::vector<bool> protectedRole;   // any protected role: no password from SCIM
    std::vector<bool> protectedByTim;  // one TIM granted: out of reach while unmanaged
    std::map<std::string, std::size_t> indexOf;
    for (std::size_t i = 0; i < rows.rows(); ++i) {
        const std::string& id = rows.text(0)[i];
        if (indexOf.emplace(id, users.size()).second) {
            users.push_back(recordAt<port::UserRecord>(rows, i));
            users.back().managed = rows.integer(6)[i] != 0;
            users.back().credential = {rows.integer(8)[i] != 0, false};
            protectedRole.push_back(false);
            protectedByTim.push_back(false);
        }
        const std::size_t at = indexOf[id];
        if (!rows.nullableText(5)[i].isNull()) {
            users[at].roles.push_back(rows.nullableText(5)[i].value());
        }
        const auto& internal = rows.nullableInteger(7)[i];
        if (!internal.isNull() && internal.value() != 0) {
            protectedRole[at] = true;
            protectedByTim[at] = protectedByTim[at] || rows.nullableText(9)[i] != "scim";
        }
    }
    std::vector<port::UserRecord> kept;
    for (std::size_t i = 0; i < users.size(); ++i) {
        // As visibleUser says in SQL (SqlSupport.h).
        if (reach == Reach::InReachOnly && !users[i].managed && protectedByTim[i]) {
            continue;  // a TIM administrator SCIM does not manage
        }
        users[i].credential.holdsProtectedRole = protectedRole[i];
        sortDistinct(users[i].roles);
        kept.push_back(std::move(users[i]));
    }
    return kept;
}

// The displayNames of the users in SCIM's reach among `ids` ("" for one without), in chunks of
// kChunk ids: pages are at most scim.maxResults, a few statements at worst.
std::map<std::string, std::string> displayNames(Poco::Data::Session& session,
                                                const std::vector<std::string>& ids) {
    const std::set<std::string> unique(ids.begin(), ids.end());
    std::map<std::string, std::string> names;
    inChunks(std::vector<std::string>(unique.begin(), unique.end()),
             [&](const std::vector<std::string>& chunk) {
                 const auto in = keptInList(texts(chunk));
                 const auto& rows = runPrepared(session,
                                                "SELECT id, doc FROM tim_user WHERE " +
                                                    visibleUser("") + " AND id IN " + in.sql,
                                                in.params, {ColumnType::Text, ColumnType::Text});
                 for (std::size_t i = 0; i < rows.rows(); ++i) {
                     const auto doc = parseDocument(rows.text(1)[i]);
                     names[rows.text(0)[i]] =
                         doc->has("displayName") && doc->get("displayName").isString()
                             ? doc->getValue<std::string>("displayName")
                             : std::string();
                 }
             });
    return names;
}

void readManagers(Poco::Data::Session& session, std::vector<port::UserRecord>& users) {
    std::vector<std::string> managerIds;
    for (const auto& user : users) {
        if (const auto manager = scim::managerIdOf(user.doc)) {
            managerIds.push_back(*manager);
        }
    }
    if (managerIds.empty()) {
        return;
    }
    const auto names = displayNames(session, managerIds);
    for (auto& user : users) {
        if (const auto manager = scim::managerIdOf(user.doc)) {
            const auto name = names.find(*manager);
            user.manager = name == names.end() ? port::ManagerRef{false, ""}
                                               : port::ManagerRef{true, name->second};
        }
    }
}

// The user `id` with its roles and its manager's name, read in the caller's transaction: in
// SCIM's reach only, or any.
std::vector<port::UserRecord> readUser(Poco::Data::Session& session, const std::string& id,
                                       Reach reach) {
    static const std::string personWith = "u.id = ? AND " + person("u.");
    const bool inReach = reach == Reach::InReachOnly;
    auto users =
        readUsersWithRoles(session, inReach ? personWith : "u.id = ?", {textParam(id)}, reach);
    readManagers(session, users);
    return users;
}

std::vector<port::AccountCandidate> UserRows::candidates(const port::UserColumns& columns) {
    _snapshotsReadFor.reset();
    _snapshotsRead.clear();
    auto found = findCandidates(_session, _dialect, columns, _snapshotsRead);
    if (!columns.externalId.isNull()) {
        _snapshotsReadFor = columns.externalId.value();
    }
    return found;
}

const std::vector<SnapshotRow>* UserRows::snapshotsRead(const std::string& externalId) const {
    return _snapshotsReadFor == externalId ? &_snapshotsRead : nullptr;
}

void UserRows::lockCandidate(const port::AccountCandidate& candidate) {
    const auto& versions =
        runPrepared(
            _session,
            std::string("SELECT u.version FROM tim_user u WHERE u.id = ?") + _dialect.forUpdate(),
            {textParam(candidate.id)}, {ColumnType::Integer})
            .integer(0);
    if (versions.empty() || versions.front() != candidate.version) {
        throw RowVanished("user " + candidate.id + " changed while a create bound to it");
    }
}

void UserRows::erase(const std::string& id, const Poco::Nullable<std::string>& externalId,
                     const std::string& why) {
    eraseUsers(_session, {{id, externalId}}, why);
}

Poco::Int64 UserRows::insert(const std::string& id, const port::UserRow& row,
                             const port::PasswordChange& password, bool byScim) {
    const port::UserColumns& c = row.columns;
    const std::string& json = row.text;
    const Poco::Int64 now = nowMs();
    const int active = c.active ? 1 : 0;
    const int scim = byScim ? 1 : 0;
    writeUnique(
        _session, _dialect, nameOf(c),
        [&] {
            runPrepared(
                _session,
                "INSERT INTO tim_user (id, user_name, user_name_key, kind, active, "
                "created_ms, modified_ms, external_id, email_key, work_email_key, "
                "several_work_emails, manager_id, doc, version, password_hash, "
                "password_change_required, disabled_ms, managed, created_by_scim) VALUES (?, "
                "?, ?, 'person', ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, CASE WHEN ? = 1 THEN NULL "
                "ELSE ? END, ?, ?)",
                {textParam(id), textParam(c.userName), textParam(c.userNameKey),
                 numberParam(active), numberParam(now), numberParam(now),
                 nullableTextParam(c.externalId), nullableTextParam(c.emailKey),
                 nullableTextParam(c.workEmailKey), numberParam(c.severalWorkEmails ? 1 : 0),
                 nullableTextParam(c.managerId), textParam(json), nullableTextParam(password.hash),
                 numberParam(password.mustChange ? 1 : 0), numberParam(active), numberParam(now),
                 numberParam(scim), numberParam(scim)});
        },
        [&](const std::string& holder) { return port::userNameTaken(c.userName, holder); });
    return now;
}

bool UserRows::update(const std::string& id, const port::UserRow& row,
                      const port::UserWrite& write) {
    const port::UserColumns& c = row.columns;
    const std::string& json = row.text;
    const Poco::Int64 now = nowMs();
    const int active = c.active ? 1 : 0;
    const int keepPassword = write.password.keep ? 1 : 0;
    std::size_t updated = 0;
    writeUnique(
        _session, _dialect, nameOf(c),
        [&] {
            // disabled_ms records when active became false (kept while it stays false).
            updated =
                runPrepared(
                    _session,
                    "UPDATE tim_user SET user_name = ?, user_name_key = ?, active = ?, "
                    "disabled_ms = CASE WHEN ? = 1 THEN NULL ELSE COALESCE(disabled_ms, ?) END, "
                    "modified_ms = ?, external_id = ?, email_key = ?, work_email_key = ?, "
                    "several_work_emails = ?, manager_id = ?, doc = ?, version = version + 1, "
                    "managed = 1, "
                    "deleted_ms = CASE WHEN ? = 1 THEN NULL ELSE deleted_ms END, "
                    "password_change_required = CASE WHEN ? = 1 THEN password_change_required "
                    "ELSE ? END, password_hash = CASE WHEN ? = 1 THEN password_hash ELSE ? END "
                    "WHERE id = ? AND version = ?",
                    {textParam(c.userName), textParam(c.userNameKey), numberParam(active),
                     numberParam(active), numberParam(now), numberParam(now),
                     nullableTextParam(c.externalId), nullableTextParam(c.emailKey),
                     nullableTextParam(c.workEmailKey), numberParam(c.severalWorkEmails ? 1 : 0),
                     nullableTextParam(c.managerId), textParam(json),
                     numberParam(write.revive ? 1 : 0), numberParam(keepPassword),
                     numberParam(write.password.mustChange ? 1 : 0), numberParam(keepPassword),
                     nullableTextParam(write.password.hash), textParam(id),
                     numberParam(write.version)})
                    .changed();
        },
        [&](const std::string& holder) { return port::userNameTaken(c.userName, holder); });
    return updated > 0;
}

std::optional<port::LockedUser> UserRows::lock(const std::string& id) {
    const auto& rows =
        runPrepared(_session,
                    "SELECT u.version, u.managed FROM tim_user u WHERE u.id = ? AND " + visible() +
                        _dialect.forUpdate(),
                    {textParam(id)}, {ColumnType::Integer, ColumnType::Integer});
    if (rows.rows() == 0) {
        return std::nullopt;
    }
    return port::LockedUser{rows.integer(0).front(), rows.integer(1).front() != 0};
}

// What the credential rule reads of user `id`, in the caller's transaction. The roles are
// read for update: a role TIM grants meanwhile waits for this write to end.
port::CredentialStanding UserRows::credentialStanding(const std::string& id) {
    port::CredentialStanding standing;
    const auto& created = runPrepared(_session, "SELECT created_by_scim FROM tim_user WHERE id = ?",
                                      {textParam(id)}, {ColumnType::Integer})
                              .integer(0);
    standing.createdByScim = !created.empty() && created.front() != 0;
    const auto& internal =
        runPrepared(_session,
                    std::string("SELECT r.internal FROM tim_user_role ur JOIN tim_role r ON "
                                "r.name_key = ur.role_key WHERE ur.user_id = ?") +
                        _dialect.forUpdate(),
                    {textParam(id)}, {ColumnType::Integer})
            .integer(0);
    standing.holdsProtectedRole =
        std::any_of(internal.begin(), internal.end(), [](Poco::Int64 flag) { return flag != 0; });
    return standing;
}

void UserRows::refuseTakenUserName(const port::UserColumns& columns, const std::string& id) {
    const auto holders =
        selectIds(_session, "SELECT id FROM tim_user WHERE user_name_key = ? AND id <> ?",
                  {textParam(columns.userNameKey), textParam(id)});
    if (!holders.empty()) {
        throw port::userNameTaken(columns.userName, holderOf(_session, "tim_user", "user_name_key",
                                                             columns.userNameKey, visibleUser("")));
    }
}

port::UserRecord UserRows::read(const std::string& id) {
    auto records = readUser(_session, id, Reach::Any);
    if (records.empty()) {
        throw RowVanished("user " + id);
    }
    return std::move(records.front());
}

void UserRows::readManager(port::UserRecord& record) {
    std::vector<port::UserRecord> one{std::move(record)};
    readManagers(_session, one);
    record = std::move(one.front());
}

Poco::Nullable<std::string> UserRows::markDeleted(const std::string& id) {
    Poco::Int64 when = nowMs();
    std::string key = id;
    Poco::Nullable<std::string> externalId;
    _session << "SELECT external_id FROM tim_user WHERE id = ?", into(externalId), use(key), now;
    // A deleted account is SCIM's from now on: only a create by SCIM revives it.
    _session << "UPDATE tim_user SET deleted_ms = ?, active = 0, modified_ms = ?, "
                "disabled_ms = COALESCE(disabled_ms, ?), managed = 1, "
                "version = version + 1 WHERE id = ?",
        use(when), use(when), use(when), use(key), now;
    return externalId;
}

void UserRows::grantTimRole(const std::string& userId, const std::string& roleKey) {
    runPrepared(_session,
                "INSERT INTO tim_user_role (user_id, role_key, source) VALUES (?, ?, 'tim')",
                {textParam(userId), textParam(roleKey)});
}

}  // namespace store
