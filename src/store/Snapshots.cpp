#include "Snapshots.h"

#include "AuditTrail.h"
#include "Membership.h"
#include "SqlSupport.h"
#include "WriteTransaction.h"

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

std::vector<std::string> stringsOf(const Array::Ptr& array) {
    std::vector<std::string> values;
    for (std::size_t i = 0; array && i < array->size(); ++i) {
        values.push_back(array->getElement<std::string>(static_cast<unsigned>(i)));
    }
    return values;
}

void saveSnapshot(Poco::Data::Session& session, const std::string& kind,
                  const Poco::Nullable<std::string>& externalId, const std::string& nameKey,
                  const Object::Ptr& data) {
    std::string id = newId();
    std::string k = kind;
    Poco::Nullable<std::string> external = externalId;
    std::string name = nameKey;
    std::string text = documentText(data, 60000);
    Poco::Int64 created = nowMs();
    session << "INSERT INTO scim_snapshot (id, kind, external_id, name_key, data, created_ms) "
               "VALUES (?, ?, ?, ?, ?, ?)",
        use(id), use(k), use(external), use(name), use(text), use(created), now;
}

// The newest matching snapshot (consumed: it is deleted), or null.
Object::Ptr takeSnapshot(Poco::Data::Session& session, const std::string& kind,
                         const Poco::Nullable<std::string>& externalId, const std::string& nameKey,
                         Poco::Int64 notBeforeMs) {
    // Runs on every create: a kept statement.
    const auto& found =
        runPrepared(session,
                    "SELECT id, data FROM scim_snapshot WHERE kind = ? AND created_ms >= ? AND "
                    "(external_id = ? OR name_key = ?) ORDER BY created_ms DESC",
                    {textParam(kind), numberParam(notBeforeMs),
                     textParam(externalId.isNull() ? "" : externalId.value()), textParam(nameKey)},
                    {ColumnType::Text, ColumnType::Text});
    if (found.rows() == 0) {
        return nullptr;
    }
    std::string first = found.text(0).front();
    const Object::Ptr snapshot = parseDocument(found.text(1).front());
    session << "DELETE FROM scim_snapshot WHERE id = ?", use(first), now;
    return snapshot;
}

}  // namespace

bool Snapshots::deleteUserInTim(const std::string& id) {
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
    Object::Ptr data = new Object;
    data->set("groups", arrayOf(selectIds(
                            session, "SELECT group_id FROM tim_group_member WHERE member_id = ?",
                            {textParam(id)})));
    // No roles: those role groups granted come back with the memberships, and a role TIM
    // granted otherwise is TIM's to give again (an administrator's removal stays removed).
    saveSnapshot(session, "user", externalIds.front(), keys.front(), data);
    session << "DELETE FROM tim_group_member WHERE member_id = ?", use(key), now;
    session << "DELETE FROM tim_user_role WHERE user_id = ?", use(key), now;
    session << "DELETE FROM tim_user WHERE id = ?", use(key), now;
    recordAudit(session, {"tim-delete", "User", id, externalIds.front(), {}});
    tx.commit();
    return true;
}

bool Snapshots::deleteGroupInTim(const std::string& id) {
    Poco::Data::Session session = _database.session();
    WriteTransaction tx(session, _database.dialect());
    std::vector<Poco::Nullable<std::string>> externalIds;
    std::vector<std::string> keys;
    std::string key = id;
    session << std::string("SELECT external_id, display_name_key FROM tim_group WHERE id = ?") +
                   _database.dialect().forUpdate(),
        use(key), into(externalIds), into(keys), now;
    if (keys.empty()) {
        return false;
    }
    Object::Ptr data = new Object;
    data->set("members", arrayOf(memberIds(session, id)));
    saveSnapshot(session, "group", externalIds.front(), keys.front(), data);
    deleteGroup(session, id);
    recordAudit(session, {"tim-delete", "Group", id, externalIds.front(), {"members"}});
    tx.commit();
    return true;
}

std::string Snapshots::restoreUser(Poco::Data::Session& session, const SqlDialect& dialect,
                                   const std::string& userId,
                                   const Poco::Nullable<std::string>& externalId,
                                   const std::string& userNameKey, Poco::Int64 notBeforeMs) {
    const Object::Ptr snapshot =
        takeSnapshot(session, "user", externalId, userNameKey, notBeforeMs);
    if (!snapshot) {
        return "";
    }
    std::size_t groups = 0;
    for (const auto& groupId : stringsOf(snapshot->getArray("groups"))) {
        // Only into groups that still exist.
        if (!selectIds(session, "SELECT id FROM tim_group WHERE id = ?", {textParam(groupId)})
                 .empty()) {
            addMembers(session, dialect, groupId, {userId});
            ++groups;
        }
    }
    recomputeRoles(session, {userId});
    return "restored " + std::to_string(groups) +
           " membership(s) and the roles their role groups grant, from a deletion in TIM";
}

std::string Snapshots::restoreGroup(Poco::Data::Session& session, const SqlDialect& dialect,
                                    const std::string& groupId,
                                    const Poco::Nullable<std::string>& externalId,
                                    const std::string& displayNameKey, Poco::Int64 notBeforeMs) {
    const Object::Ptr snapshot =
        takeSnapshot(session, "group", externalId, displayNameKey, notBeforeMs);
    if (!snapshot) {
        return "";
    }
    const auto members = stringsOf(snapshot->getArray("members"));
    const auto ignored = addMembers(session, dialect, groupId, members);
    recomputeRoles(session, members);
    return "restored " + std::to_string(members.size() - ignored.size()) +
           " member(s) from a deletion in TIM";
}

std::size_t Snapshots::purge(Poco::Int64 beforeMs) {
    Poco::Data::Session session = _database.session();
    Poco::Data::Statement remove(session);
    Poco::Int64 before = beforeMs;
    remove << "DELETE FROM scim_snapshot WHERE created_ms < ?", use(before);
    return remove.execute();
}

}  // namespace store
