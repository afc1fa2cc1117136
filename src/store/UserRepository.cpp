#include "UserRepository.h"

#include "StoreFailures.h"

#include "AuditTrail.h"
#include "Membership.h"
#include "QueryRunner.h"
#include "Retry.h"
#include "SqlAccountTransaction.h"
#include "SqlSupport.h"
#include "UserColumns.h"
#include "UserErasure.h"
#include "WriteTransaction.h"

#include "port/StoreErrors.h"
#include "scim/CaseFold.h"
#include "scim/DocumentChanges.h"
#include "scim/UserSchemas.h"
#include "scim/filter/Evaluator.h"

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
const std::string& visible() {
    static const std::string condition = visibleUser("u.");
    return condition;
}
std::string visibleUnindexed(const SqlDialect& dialect) {
    return visibleUserUnindexed(dialect, "u.");
}

// A user's roles as records carry them: sorted, a role held from several sources once.
void sortDistinct(std::vector<std::string>& roles) {
    std::sort(roles.begin(), roles.end());
    roles.erase(std::unique(roles.begin(), roles.end()), roles.end());
}

// Fills in the roles of `users` (one statement for all of them).
void readRoles(Poco::Data::Session& session, std::vector<port::UserRecord>& users) {
    if (users.empty()) {
        return;
    }
    std::vector<SqlParam> ids;
    std::map<std::string, port::UserRecord*> byId;
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
std::vector<port::UserRecord> readUsers(Poco::Data::Session& session, const std::string& sql,
                                        std::vector<SqlParam> params) {
    auto users = readRecords<port::UserRecord>(session, sql, std::move(params));
    readRoles(session, users);
    return users;
}

enum class Reach { Any, InReachOnly };

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
        {ColumnType::Text, ColumnType::Text, ColumnType::Integer, ColumnType::Integer,
         ColumnType::Integer, ColumnType::NullableText, ColumnType::Integer,
         ColumnType::NullableInteger, ColumnType::Integer, ColumnType::NullableText});
    std::vector<port::UserRecord> users;
    std::vector<bool> protectedRole;   // any protected role: no password from SCIM
    std::vector<bool> protectedByTim;  // one TIM granted: out of reach while unmanaged
    std::map<std::string, std::size_t> indexOf;
    for (std::size_t i = 0; i < rows.rows(); ++i) {
        const std::string& id = rows.text(0)[i];
        if (indexOf.emplace(id, users.size()).second) {
            users.push_back(port::UserRecord{id,
                                             parseDocument(rows.text(1)[i]),
                                             rows.integer(2)[i],
                                             rows.integer(3)[i],
                                             rows.integer(4)[i],
                                             {},
                                             rows.integer(6)[i] != 0,
                                             {rows.integer(8)[i] != 0, false},
                                             std::nullopt});
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
                 const auto& rows =
                     runPrepared(session,
                                 "SELECT id, doc FROM tim_user WHERE " + visibleUser("") +
                                     " AND id IN " + placeholders(chunk.size()),
                                 texts(chunk), {ColumnType::Text, ColumnType::Text});
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

// Sets the record's manager from the caller's transaction, if its document names one.
void readManager(Poco::Data::Session& session, port::UserRecord& record) {
    if (const auto managerId = scim::managerIdOf(record.doc)) {
        const auto names = displayNames(session, {*managerId});
        const auto name = names.find(*managerId);
        record.manager = name == names.end() ? port::ManagerRef{false, ""}
                                             : port::ManagerRef{true, name->second};
    }
}

// The user `id` with its roles and its manager's name, read in the caller's transaction: in
// SCIM's reach only, or any.
std::vector<port::UserRecord> readUser(Poco::Data::Session& session, const std::string& id,
                                       bool visibleOnly) {
    static const std::string personWith = "u.id = ? AND " + person("u.");
    auto users = readUsersWithRoles(session, visibleOnly ? personWith : "u.id = ?", {textParam(id)},
                                    visibleOnly ? Reach::InReachOnly : Reach::Any);
    for (auto& user : users) {
        readManager(session, user);
    }
    return users;
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

port::Conflict userNameTaken(const std::string& userName, const std::string& holderId) {
    // holderId is "" for an account out of SCIM's reach: it is never named.
    return port::Conflict(port::Conflict::Kind::Uniqueness,
                          "userName \"" + userName + "\" is already in use" +
                              (holderId.empty() ? "" : " by user " + holderId),
                          holderId);
}

// Accounts a create request may collide with: (via, id, kind, deleted_ms, managed, version,
// external_id) of the rows `where` selects.
std::string candidatesWhere(port::MatchedBy via, const std::string& where) {
    return "SELECT " + std::to_string(static_cast<int>(via)) +
           ", u.id, u.kind, u.deleted_ms, u.managed, u.version, u.external_id FROM tim_user u "
           "WHERE " +
           where;
}

struct Candidates {
    std::vector<port::AccountCandidate> accounts;
    std::map<std::string, Poco::Int64> versions;
};

// Marks the unmanaged candidates that hold a protected role: a second statement, only when
// there are any (almost every create finds none, and a subquery in the first cost MariaDB).
void markProtected(Poco::Data::Session& session, Candidates& candidates) {
    std::vector<SqlParam> unmanaged;
    for (const auto& account : candidates.accounts) {
        if (!account.managed) {
            unmanaged.push_back(textParam(account.id));
        }
    }
    if (unmanaged.empty()) {
        return;
    }
    const auto& holders =
        runPrepared(session,
                    protectedRoleHolders() + " AND pr.user_id IN " + placeholders(unmanaged.size()),
                    unmanaged, {ColumnType::Text})
            .text(0);
    const std::set<std::string> protectedIds(holders.begin(), holders.end());
    for (auto& account : candidates.accounts) {
        account.isProtected = protectedIds.count(account.id) > 0;
    }
}

Candidates selectCandidates(Poco::Data::Session& session, const std::string& select,
                            const std::vector<SqlParam>& params) {
    const auto& found = runPrepared(
        session, select, params,
        {ColumnType::Integer, ColumnType::Text, ColumnType::Text, ColumnType::NullableInteger,
         ColumnType::Integer, ColumnType::Integer, ColumnType::NullableText});
    Candidates candidates;
    for (std::size_t i = 0; i < found.rows(); ++i) {
        port::AccountCandidate account;
        account.via = static_cast<port::MatchedBy>(found.integer(0)[i]);
        account.id = found.text(1)[i];
        account.person = found.text(2)[i] == "person";
        account.deleted = !found.nullableInteger(3)[i].isNull();
        account.managed = found.integer(4)[i] != 0;
        if (!found.nullableText(6)[i].isNull()) {
            account.externalId = found.nullableText(6)[i].value();
        }
        candidates.versions[account.id] = found.integer(5)[i];
        candidates.accounts.push_back(std::move(account));
    }
    markProtected(session, candidates);
    return candidates;
}

// The folded email a create may be bound by: TIM's email of the request.
std::vector<SqlParam> emailKeysOf(const UserColumns& columns) {
    if (columns.timEmailKey.isNull()) {
        return {};
    }
    return {textParam(columns.timEmailKey.value())};
}

// Every account the request's userName or emails name, in one statement. Read without range
// locks (on InnoDB, FOR UPDATE on a key that does not exist takes a gap lock, and two
// concurrent creates then deadlock at their inserts); the unique index settles insert races.
Candidates findCandidates(Poco::Data::Session& session, const SqlDialect& dialect,
                          const UserColumns& columns) {
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
    return selectCandidates(session, select, params);
}

// Locks the account a decision names and checks it is still as the candidates showed it.
Poco::Int64 lockCandidate(Poco::Data::Session& session, const SqlDialect& dialect,
                          const std::string& id, Poco::Int64 seenVersion) {
    const auto& versions =
        runPrepared(
            session,
            std::string("SELECT u.version FROM tim_user u WHERE u.id = ?") + dialect.forUpdate(),
            {textParam(id)}, {ColumnType::Integer})
            .integer(0);
    if (versions.empty() || versions.front() != seenVersion) {
        throw RowVanished("user " + id + " changed while a create bound to it");
    }
    return seenVersion;
}

const char* matchName(port::MatchedBy via) {
    return via == port::MatchedBy::UserName ? "by-username" : "by-email";
}

// What a write of a user's document changes besides it.
struct UserWrite {
    Poco::Int64 version = 0;        // the version read: the write needs it unchanged
    port::PasswordChange password;  // as TIM's password rule says
    bool revive = false;            // clears deleted_ms
};

// The one UPDATE of a user's document and the columns it determines; the row becomes
// managed. Returns false when the version moved (nothing written).
bool updateUser(Poco::Data::Session& session, const std::string& id, const UserColumns& c,
                const std::string& json, const UserWrite& write) {
    Poco::Int64 now = nowMs();
    int active = c.active ? 1 : 0;
    int revive = write.revive ? 1 : 0;
    std::string key = id;
    Poco::Int64 version = write.version;
    UserColumns columns = c;
    std::string document = json;
    int keepPassword = write.password.keep ? 1 : 0;
    Poco::Nullable<std::string> hash = write.password.hash;
    int mustChange = write.password.mustChange ? 1 : 0;
    int several = c.severalWorkEmails ? 1 : 0;
    Poco::Data::Statement update(session);
    // disabled_ms records when active became false (kept while it stays false).
    update << "UPDATE tim_user SET user_name = ?, user_name_key = ?, active = ?, "
              "disabled_ms = CASE WHEN ? = 1 THEN NULL ELSE COALESCE(disabled_ms, ?) END, "
              "modified_ms = ?, external_id = ?, email_key = ?, work_email_key = ?, "
              "several_work_emails = ?, manager_id = ?, doc = ?, version = version + 1, "
              "managed = 1, "
              "deleted_ms = CASE WHEN ? = 1 THEN NULL ELSE deleted_ms END, "
              "password_change_required = CASE WHEN ? = 1 THEN password_change_required "
              "ELSE ? END, password_hash = CASE WHEN ? = 1 THEN password_hash ELSE ? END "
              "WHERE id = ? AND version = ?",
        use(columns.userName), use(columns.userNameKey), use(active), use(active), use(now),
        use(now), use(columns.externalId), use(columns.emailKey), use(columns.workEmailKey),
        use(several), use(columns.managerId), use(document), use(revive), use(keepPassword),
        use(mustChange), use(keepPassword), use(hash), use(key), use(version);
    return update.execute() > 0;
}

}  // namespace

namespace {

std::optional<std::string> optionalOf(const Poco::Nullable<std::string>& value) {
    return value.isNull() ? std::nullopt : std::optional<std::string>(value.value());
}

// A create the rules refuse (409): a protected account's refusal is audited, in `tx`.
[[noreturn]] void refuse(Poco::Data::Session& session, WriteTransaction& tx,
                         const port::BindDecision& decision, const UserColumns& c) {
    switch (decision.refusal) {
        case port::BindDecision::Refusal::Reserved:
            throw port::Conflict(port::Conflict::Kind::Uniqueness,
                                 "userName \"" + c.userName + "\" is reserved");
        case port::BindDecision::Refusal::NameTaken:
            break;
        case port::BindDecision::Refusal::Protected:
            // Recorded: someone with a provisioning token reached for an administrator.
            recordAudit(session, {"refuse", "User", decision.id, c.externalId, {}, "protected"});
            tx.commit();
            throw port::ProtectedAccount(c.userName);
    }
    throw userNameTaken(c.userName, decision.id);
}

// A password the rules do not let SCIM set on account `id`: audited in `tx`, nothing else
// written, and refused (403).
[[noreturn]] void refusePassword(Poco::Data::Session& session, WriteTransaction& tx,
                                 const std::string& id,
                                 const Poco::Nullable<std::string>& externalId,
                                 port::PasswordRefusal why) {
    const bool isProtected = why == port::PasswordRefusal::ProtectedRole;
    recordAudit(session, {"refuse",
                          "User",
                          id,
                          externalId,
                          {"password"},
                          isProtected ? "protected-role" : "tim-created"});
    tx.commit();
    throw port::Forbidden(
        isProtected ? "The user holds a protected TIM role: its password is set in TIM only. "
                      "Send the request without a password."
                    : "SCIM sets a password only on a user SCIM created; this one was created "
                      "in TIM, so its password is set in TIM. Send the request without a "
                      "password.");
}

// What the credential rule reads of user `id`, in the caller's transaction. The roles are
// read for update: a role TIM grants meanwhile waits for this write to end.
port::CredentialStanding credentialStanding(Poco::Data::Session& session, const SqlDialect& dialect,
                                            const std::string& id) {
    port::CredentialStanding standing;
    const auto& created = runPrepared(session, "SELECT created_by_scim FROM tim_user WHERE id = ?",
                                      {textParam(id)}, {ColumnType::Integer})
                              .integer(0);
    standing.createdByScim = !created.empty() && created.front() != 0;
    const auto& internal =
        runPrepared(session,
                    std::string("SELECT r.internal FROM tim_user_role ur JOIN tim_role r ON "
                                "r.name_key = ur.role_key WHERE ur.user_id = ?") +
                        dialect.forUpdate(),
                    {textParam(id)}, {ColumnType::Integer})
            .integer(0);
    standing.holdsProtectedRole =
        std::any_of(internal.begin(), internal.end(), [](Poco::Int64 flag) { return flag != 0; });
    return standing;
}

// Before a password is hashed for a write of user `id` with columns `c`: a userName another
// account holds is the 409 the write would meet after the cost.
void refuseTakenUserName(Poco::Data::Session& session, const UserColumns& c,
                         const std::string& id) {
    const auto holders =
        selectIds(session, "SELECT id FROM tim_user WHERE user_name_key = ? AND id <> ?",
                  {textParam(c.userNameKey), textParam(id)});
    if (!holders.empty()) {
        throw userNameTaken(c.userName, holderOf(session, "tim_user", "user_name_key",
                                                 c.userNameKey, visibleUser("")));
    }
}

// Refuses (audited, in `tx`) a password the rules do not let SCIM set on user `id` as it is
// now.
void checkPassword(Poco::Data::Session& session, const SqlDialect& dialect,
                   const port::AccountRules& rules, WriteTransaction& tx, const std::string& id,
                   const Poco::Nullable<std::string>& externalId) {
    const auto why = rules.passwordRefusal(credentialStanding(session, dialect, id));
    if (why != port::PasswordRefusal::None) {
        refusePassword(session, tx, id, externalId, why);
    }
}

// What a create with columns `c` becomes now, as the rules decide from the accounts it
// matches (found into `candidates`); a refusal, and a password the rules do not let it set
// (`setsPassword`), are audited in `tx` and thrown.
port::BindDecision decideCreate(Poco::Data::Session& session, const SqlDialect& dialect,
                                const port::AccountRules& rules, WriteTransaction& tx,
                                const UserColumns& c, bool setsPassword, Candidates& candidates) {
    candidates = findCandidates(session, dialect, c);
    const port::BindDecision decision = rules.bind(candidates.accounts, optionalOf(c.externalId));
    if (decision.kind == port::BindDecision::Kind::Refuse) {
        refuse(session, tx, decision, c);
    }
    if (setsPassword && (decision.kind == port::BindDecision::Kind::Bind ||
                         decision.kind == port::BindDecision::Kind::Revive)) {
        checkPassword(session, dialect, rules, tx, decision.id, c.externalId);
    }
    return decision;
}

Poco::Nullable<std::string> externalIdOf(const Candidates& candidates, const std::string& id) {
    for (const auto& account : candidates.accounts) {
        if (account.id == id && account.externalId) {
            return *account.externalId;
        }
    }
    return {};
}

const char* createName(port::CreateOutcome outcome) {
    switch (outcome) {
        case port::CreateOutcome::Bound:
            return "bind";
        case port::CreateOutcome::Revived:
            return "revive";
        case port::CreateOutcome::Created:
            break;
    }
    return "create";
}

}  // namespace

port::CreateResult UserRepository::createOrBind(const Poco::JSON::Object::Ptr& doc,
                                                const std::optional<std::string>& password) try {
    UserColumns c = userColumnsOf(doc);
    std::string json = toJson(doc);
    Poco::Int64 now = nowMs();
    int active = c.active ? 1 : 0;
    const SqlDialect& dialect = _database.dialect();

    Poco::Data::Session session = _database.session();
    std::optional<std::string> clientHash;
    if (password) {
        {
            // Every check before the cost: a create that is refused, in conflict, or may not
            // set this password hashes nothing. It only read: rolled back.
            WriteTransaction tx(session, dialect);
            Candidates candidates;
            decideCreate(session, dialect, _rules, tx, c, true, candidates);
        }
        clientHash = _rules.hashPassword(*password);
    }
    port::CreateResult result;
    try {
        withRetry(dialect, [&] {
            WriteTransaction tx(session, dialect);
            result = port::CreateResult{};
            Candidates candidates;
            const port::BindDecision decision =
                decideCreate(session, dialect, _rules, tx, c, clientHash.has_value(), candidates);
            std::string id = decision.id;
            if (decision.kind == port::BindDecision::Kind::Recycle) {
                // The id of a deleted user is never given to another: the one holding the
                // userName goes for good, as the purge would have taken it. Locked first: a
                // revive that won meanwhile makes this create start again.
                lockCandidate(session, dialect, id, candidates.versions.at(id));
                eraseUsers(session, {{id, externalIdOf(candidates, id)}}, "username-reused");
                result.erasedId = id;
            }
            if (decision.kind == port::BindDecision::Kind::Create ||
                decision.kind == port::BindDecision::Kind::Recycle) {
                id = newId();
                const port::PasswordChange password =
                    _rules.password(port::AccountEvent::Created, clientHash);
                runPrepared(
                    session,
                    "INSERT INTO tim_user (id, user_name, user_name_key, kind, active, "
                    "created_ms, modified_ms, external_id, email_key, work_email_key, "
                    "several_work_emails, manager_id, doc, version, password_hash, "
                    "password_change_required, disabled_ms, managed, created_by_scim) VALUES (?, "
                    "?, ?, 'person', ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, CASE WHEN ? = 1 THEN NULL "
                    "ELSE ? END, 1, 1)",
                    {textParam(id), textParam(c.userName), textParam(c.userNameKey),
                     numberParam(active), numberParam(now), numberParam(now),
                     nullableTextParam(c.externalId), nullableTextParam(c.emailKey),
                     nullableTextParam(c.workEmailKey), numberParam(c.severalWorkEmails ? 1 : 0),
                     nullableTextParam(c.managerId), textParam(json),
                     nullableTextParam(password.hash), numberParam(password.mustChange ? 1 : 0),
                     numberParam(active), numberParam(now)});
                result.outcome = port::CreateOutcome::Created;
                result.passwordSet = !password.hash.isNull();
                SqlAccountTransaction work(session, dialect);
                result.restored = _rules.restore(
                    work, {port::AccountKind::User, id, c.externalId, c.userNameKey});
            } else {
                UserWrite write;
                write.version = lockCandidate(session, dialect, id, candidates.versions.at(id));
                write.revive = decision.kind == port::BindDecision::Kind::Revive;
                // A user SCIM itself deleted comes back as any write to it would.
                write.password = _rules.password(
                    write.revive ? port::AccountEvent::Updated : port::AccountEvent::Bound,
                    clientHash);
                if (!updateUser(session, id, c, json, write)) {
                    throw RowVanished("user " + id);
                }
                result.outcome =
                    write.revive ? port::CreateOutcome::Revived : port::CreateOutcome::Bound;
                result.via = decision.via;
                result.passwordSet = !write.password.keep;
            }
            const bool bound = result.outcome == port::CreateOutcome::Bound;
            recordAudit(session, {createName(result.outcome), "User", id, c.externalId,
                                  withPassword(scim::attributesOf(doc), result.passwordSet),
                                  bound ? matchName(result.via)
                                        : (result.restored.empty() ? "applied" : "restored")});
            if (result.outcome == port::CreateOutcome::Created && result.restored.empty()) {
                result.record = port::UserRecord{id,   doc,           1,           now, now, {},
                                                 true, {true, false}, std::nullopt};  // as inserted
                readManager(session, result.record);
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
        if (dialect.isUniqueViolation(e)) {
            throw userNameTaken(c.userName,
                                userNameHolder(c.userNameKey));  // a concurrent create won
        }
        throw;
    }
    return result;
} catch (...) {
    rethrowAsStoreError();
}

std::string UserRepository::userNameHolder(const std::string& key) {
    return holderOf(_database.session(), "tim_user", "user_name_key", key, visibleUser(""));
}

std::string UserRepository::createLocal(const std::string& userName, const std::string& email,
                                        const std::vector<std::string>& roles) try {
    Poco::JSON::Object::Ptr doc = new Poco::JSON::Object;
    doc->set("userName", userName);
    if (!email.empty()) {
        Poco::JSON::Object::Ptr tim = new Poco::JSON::Object;
        tim->set("email", email);
        doc->set(scim::kTimUserEmailSchema, tim);
    }
    const UserColumns c = userColumnsOf(doc);
    const std::string id = newId();
    Poco::Int64 now = nowMs();
    const port::PasswordChange password =
        _rules.password(port::AccountEvent::Created, std::nullopt);
    Poco::Data::Session session = _database.session();
    try {
        WriteTransaction tx(session, _database.dialect());
        runPrepared(
            session,
            "INSERT INTO tim_user (id, user_name, user_name_key, kind, active, created_ms, "
            "modified_ms, email_key, doc, version, password_hash, "
            "password_change_required, managed) VALUES (?, ?, ?, 'person', 1, ?, ?, ?, ?, "
            "1, ?, ?, 0)",
            {textParam(id), textParam(c.userName), textParam(c.userNameKey), numberParam(now),
             numberParam(now), nullableTextParam(c.emailKey), textParam(toJson(doc)),
             nullableTextParam(password.hash), numberParam(password.mustChange ? 1 : 0)});
        for (const auto& role : std::set<std::string>(roles.begin(), roles.end())) {
            const std::string key = scim::foldCase(role);
            if (selectIds(session, "SELECT name_key FROM tim_role WHERE name_key = ?",
                          {textParam(key)})
                    .empty()) {
                throw Poco::InvalidArgumentException("TIM knows no role \"" + role + "\"");
            }
            runPrepared(
                session,
                "INSERT INTO tim_user_role (user_id, role_key, source) VALUES (?, ?, 'tim')",
                {textParam(id), textParam(key)});
        }
        recordAudit(session, {"tim-create", "User", id, Poco::Nullable<std::string>(), {}});
        tx.commit();
    } catch (const Poco::Exception& e) {
        if (_database.dialect().isUniqueViolation(e)) {
            throw userNameTaken(userName, userNameHolder(c.userNameKey));
        }
        throw;
    }
    return id;
} catch (...) {
    rethrowAsStoreError();
}

std::optional<port::UserRecord> UserRepository::find(const std::string& id) try {
    Poco::Data::Session session = _database.session();
    auto records = readUser(session, id, true);
    if (records.empty()) {
        return std::nullopt;
    }
    return std::move(records.front());
} catch (...) {
    rethrowAsStoreError();
}

namespace {

struct Locked {
    Poco::Int64 version = 0;
    bool managed = true;
};

// Locks the visible user `id` for a write and checks If-Match.
Locked lockForWrite(Poco::Data::Session& session, const SqlDialect& dialect, const std::string& id,
                    std::optional<Poco::Int64> expectedVersion) {
    const auto& rows =
        runPrepared(session,
                    "SELECT u.version, u.managed FROM tim_user u WHERE u.id = ? AND " + visible() +
                        dialect.forUpdate(),
                    {textParam(id)}, {ColumnType::Integer, ColumnType::Integer});
    if (rows.rows() == 0) {
        throw port::NotFound("No user " + id);
    }
    const Locked locked{rows.integer(0).front(), rows.integer(1).front() != 0};
    if (expectedVersion && *expectedVersion != locked.version) {
        throw port::VersionMismatch("The user changed since version " +
                                    std::to_string(*expectedVersion) + "; read it again");
    }
    return locked;
}

// A write to an unmanaged account binds it (the audit names it a bind).
const char* writeName(const char* write, bool managedBefore) {
    return managedBefore ? write : "bind";
}

port::AccountEvent writeEvent(bool managedBefore) {
    return managedBefore ? port::AccountEvent::Updated : port::AccountEvent::Bound;
}

}  // namespace

port::UserRecord UserRepository::replace(const std::string& id, const Poco::JSON::Object::Ptr& doc,
                                         const std::optional<std::string>& password,
                                         std::optional<Poco::Int64> expectedVersion) try {
    UserColumns c = userColumnsOf(doc);
    std::string json = toJson(doc);
    const SqlDialect& dialect = _database.dialect();
    Poco::Data::Session session = _database.session();
    std::optional<std::string> clientHash;
    if (password) {
        {
            // Checks before the cost; it only read: rolled back.
            WriteTransaction tx(session, dialect);
            lockForWrite(session, dialect, id, expectedVersion);
            checkPassword(session, dialect, _rules, tx, id, c.externalId);
            refuseTakenUserName(session, c, id);
        }
        clientHash = _rules.hashPassword(*password);
    }
    try {
        return withRetry(dialect, [&] {
            WriteTransaction tx(session, dialect);
            const Locked locked = lockForWrite(session, dialect, id, expectedVersion);
            if (clientHash) {
                checkPassword(session, dialect, _rules, tx, id, c.externalId);  // still so
            }
            const auto before = readUser(session, id, false);
            UserWrite write;
            write.version = locked.version;
            write.password = _rules.password(writeEvent(locked.managed), clientHash);
            if (!updateUser(session, id, c, json, write)) {
                throw RowVanished("user " + id);
            }
            recordAudit(session,
                        {writeName(userWrite("replace", userColumnsOf(before.front().doc), c),
                                   locked.managed),
                         "User", id, c.externalId,
                         withPassword(scim::changedAttributes(before.front().doc, doc),
                                      !write.password.keep)});
            auto records = readUser(session, id, false);
            tx.commit();
            return std::move(records.front());
        });
    } catch (const Poco::Exception& e) {
        if (dialect.isUniqueViolation(e)) {
            throw userNameTaken(c.userName, userNameHolder(c.userNameKey));
        }
        throw;
    }
} catch (...) {
    rethrowAsStoreError();
}

port::UserRecord UserRepository::patch(const std::string& id, const port::ChangeUser& change,
                                       std::optional<Poco::Int64> expectedVersion) try {
    // Optimistic: compute the new document (and hash a password) without holding a lock,
    // then write it only if the version is still the one it was computed from.
    const SqlDialect& dialect = _database.dialect();
    constexpr int kAttempts = 5;
    // (clear, hash) of the password, made once: another attempt reuses it, so writes racing
    // this one cannot make it hash again.
    std::optional<std::pair<std::string, std::string>> hashed;
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        const auto current = find(id);
        if (!current) {
            throw port::NotFound("No user " + id);
        }
        if (expectedVersion && *expectedVersion != current->version) {
            throw port::VersionMismatch("The user changed since version " +
                                        std::to_string(*expectedVersion) + "; read it again");
        }
        const scim::NormalisedResource changed = change(*current);
        std::string json = toJson(changed.doc);
        if (json == toJson(current->doc) && !changed.password) {
            return *current;  // nothing changed: version and lastModified stay
        }
        UserColumns c = userColumnsOf(changed.doc);
        Poco::Data::Session session = _database.session();
        std::optional<std::string> clientHash;
        if (changed.password) {
            const auto why = _rules.passwordRefusal(current->credential);
            if (why != port::PasswordRefusal::None) {
                WriteTransaction tx(session, dialect);
                refusePassword(session, tx, id, c.externalId, why);
            }
            refuseTakenUserName(session, c, id);
            if (!hashed || hashed->first != *changed.password) {
                hashed.emplace(*changed.password, _rules.hashPassword(*changed.password));
            }
            clientHash = hashed->second;
        }
        UserWrite write;
        write.version = current->version;
        write.password = _rules.password(writeEvent(current->managed), clientHash);
        try {
            std::optional<port::UserRecord> written;
            const bool wrote = withRetry(dialect, [&] {
                WriteTransaction tx(session, dialect);
                if (clientHash) {
                    checkPassword(session, dialect, _rules, tx, id, c.externalId);  // still so
                }
                if (!updateUser(session, id, c, json, write)) {
                    return false;  // changed or deleted meanwhile: start again
                }
                recordAudit(session,
                            {writeName(userWrite("patch", userColumnsOf(current->doc), c),
                                       current->managed),
                             "User", id, c.externalId,
                             withPassword(scim::changedAttributes(current->doc, changed.doc),
                                          !write.password.keep)});
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
            if (dialect.isUniqueViolation(e)) {
                throw userNameTaken(c.userName, userNameHolder(c.userNameKey));
            }
            throw;
        }
    }
    throw port::Conflict(port::Conflict::Kind::Contention,
                         "The user is being changed by other requests; retry");
} catch (...) {
    rethrowAsStoreError();
}

bool UserRepository::remove(const std::string& id, std::optional<Poco::Int64> expectedVersion) try {
    Poco::Data::Session session = _database.session();
    return withRetry(_database.dialect(), [&] {
        WriteTransaction tx(session, _database.dialect());
        try {
            lockForWrite(session, _database.dialect(), id, expectedVersion);
        } catch (const port::NotFound&) {
            return false;
        }
        Poco::Int64 when = nowMs();
        std::string key = id;
        Poco::Nullable<std::string> externalId;
        session << "SELECT external_id FROM tim_user WHERE id = ?", into(externalId), use(key), now;
        // A deleted account is SCIM's from now on: only a create by SCIM revives it.
        session << "UPDATE tim_user SET deleted_ms = ?, active = 0, modified_ms = ?, "
                   "disabled_ms = COALESCE(disabled_ms, ?), managed = 1, "
                   "version = version + 1 WHERE id = ?",
            use(when), use(when), use(when), use(key), now;
        recordAudit(session, {"delete", "User", id, externalId, {}});
        tx.commit();
        return true;
    });
} catch (...) {
    rethrowAsStoreError();
}

std::map<std::string, std::string> UserRepository::displayNamesOf(
    const std::vector<std::string>& ids) try {
    Poco::Data::Session session = _database.session();
    return displayNames(session, ids);
} catch (...) {
    rethrowAsStoreError();
}

port::UserPage UserRepository::query(const port::UserQuery& query,
                                     const port::RenderUser& render) try {
    QuerySpec<port::UserRecord> spec;
    spec.alias = "u";
    spec.from = "tim_user u";
    spec.visible = visible();
    spec.visibleUnindexed = visibleUnindexed(_database.dialect());
    spec.recordColumns = kRecordColumns;
    spec.columns = &userColumns();
    spec.schema = &scim::userResourceSchema();
    spec.read = readUsers;
    spec.readAtMostOne = [](Poco::Data::Session& session, const std::string& where,
                            std::vector<SqlParam> params) {
        return readUsersWithRoles(session, where, std::move(params), Reach::InReachOnly);
    };
    spec.visibleAtMostOne = personUnindexed(_database.dialect(), "u.");
    spec.countVisible = visibleUserCount(_database.dialect());
    spec.walkFrom = "tim_user u" + _database.dialect().seekWith("tim_user_reach_listing");
    Poco::Data::Session session = _database.session();
    return runQuery(session, spec, query, render);
} catch (...) {
    rethrowAsStoreError();
}

}  // namespace store
