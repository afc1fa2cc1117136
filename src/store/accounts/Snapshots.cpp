#include "Snapshots.h"

#include "store/engine/StoreFailures.h"

#include "AuditTrail.h"
#include "Membership.h"
#include "store/engine/SqlSupport.h"
#include "store/engine/WriteTransaction.h"

#include <Poco/Data/Statement.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

namespace store {

using namespace Poco::Data::Keywords;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

Array::Ptr arrayOf(const std::vector<std::string>& values) {
    Array::Ptr array = new Array;
    for (const auto& v : values) {
        array->add(v);
    }
    return array;
}

const char* kindOf(const port::CreatedAccount& account) {
    return account.kind == port::AccountKind::User ? "user" : "group";
}

// What a snapshot keeps of the account: a user's groups, a group's members.
const char* listKeyOf(const port::CreatedAccount& account) {
    return account.kind == port::AccountKind::User ? "groups" : "members";
}

std::vector<std::string> stringsOf(const Array::Ptr& array) {
    std::vector<std::string> values;
    for (std::size_t i = 0; array && i < array->size(); ++i) {
        values.push_back(array->getElement<std::string>(static_cast<unsigned>(i)));
    }
    return values;
}

}  // namespace

bool Snapshots::deleteUserInTim(const std::string& id) {
    return storeCall([&]() -> bool {
        Poco::Data::Session session = _database.session();
        WriteTransaction tx(session, _database.dialect());
        std::vector<Poco::Nullable<std::string>> externalIds;
        std::vector<std::string> keys;
        std::string key = id;
        session << std::string(
                       "SELECT external_id, user_name_key FROM tim_user WHERE id = ? AND kind = "
                       "'person' AND deleted_ms IS NULL") +
                       _database.dialect().forUpdate(),
            use(key), into(externalIds), into(keys), now;
        if (keys.empty()) {
            return false;
        }
        // No roles: those role groups granted come back with the memberships, and a role TIM
        // granted otherwise is TIM's to give again (an administrator's removal stays removed).
        save(session, {port::AccountKind::User, id, externalIds.front(), keys.front()},
             selectIds(session, "SELECT group_id FROM tim_group_member WHERE member_id = ?",
                       {textParam(id)}));
        session << "DELETE FROM tim_group_member WHERE member_id = ?", use(key), now;
        session << "DELETE FROM tim_user_role WHERE user_id = ?", use(key), now;
        session << "DELETE FROM tim_user WHERE id = ?", use(key), now;
        recordAudit(session, {"tim-delete", "User", id, externalIds.front(), {}});
        tx.commit();
        return true;
    });
}

// A kept statement: it runs on every create of a group with an externalId, and of a user
// whose candidates did not read them.
std::vector<SnapshotRow> Snapshots::read(Poco::Data::Session& session,
                                         const port::CreatedAccount& created) {
    const auto& found = runPrepared(
        session, "SELECT id, created_ms FROM scim_snapshot WHERE kind = ? AND external_id = ?",
        {textParam(kindOf(created)), textParam(created.externalId.value())},
        {ColumnType::Text, ColumnType::Integer});
    std::vector<SnapshotRow> rows;
    for (std::size_t i = 0; i < found.rows(); ++i) {
        rows.push_back({found.text(0)[i], found.integer(1)[i]});
    }
    return rows;
}

std::optional<std::vector<std::string>> Snapshots::take(Poco::Data::Session& session,
                                                        const port::CreatedAccount& created,
                                                        Poco::Int64 notBeforeMs,
                                                        const std::vector<SnapshotRow>& snapshots) {
    const SnapshotRow* newest = nullptr;
    for (const auto& row : snapshots) {
        if (row.createdMs >= notBeforeMs && (!newest || row.createdMs > newest->createdMs)) {
            newest = &row;
        }
    }
    if (!newest) {
        return std::nullopt;
    }
    const std::string id = newest->id;
    const auto& data = runPrepared(session, "SELECT data FROM scim_snapshot WHERE id = ?",
                                   {textParam(id)}, {ColumnType::Text})
                           .text(0);
    if (data.empty()) {
        return std::nullopt;
    }
    const Object::Ptr snapshot = parseDocument(data.front());
    // Deleting it is what takes it: a create that took it meanwhile leaves nothing to delete
    // (InnoDB's consistent read above may still show it).
    if (runPrepared(session, "DELETE FROM scim_snapshot WHERE id = ?", {textParam(id)}).changed() ==
        0) {
        return std::nullopt;
    }
    return stringsOf(snapshot->getArray(listKeyOf(created)));
}

void Snapshots::save(Poco::Data::Session& session, const port::CreatedAccount& deleted,
                     const std::vector<std::string>& ids) {
    Object::Ptr data = new Object;
    data->set(listKeyOf(deleted), arrayOf(ids));
    runPrepared(
        session,
        "INSERT INTO scim_snapshot (id, kind, external_id, name_key, data, created_ms) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        {textParam(newId()), textParam(kindOf(deleted)), nullableTextParam(deleted.externalId),
         textParam(deleted.nameKey), textParam(documentText(data)), numberParam(nowMs())});
}

std::size_t Snapshots::purge(Poco::Int64 beforeMs) {
    return storeCall([&]() -> std::size_t {
        Poco::Data::Session session = _database.session();
        Poco::Data::Statement remove(session);
        Poco::Int64 before = beforeMs;
        remove << "DELETE FROM scim_snapshot WHERE created_ms < ?", use(before);
        return remove.execute();
    });
}

}  // namespace store
