#include "GroupRows.h"

#include "Membership.h"
#include "store/engine/Retry.h"
#include "store/engine/SqlSupport.h"

#include "port/StoreErrors.h"

#include <map>
#include <set>

namespace store {

using namespace Poco::Data::Keywords;

namespace {

// Memberships SCIM may remove: not those of accounts out of its reach, which it never sees.
const std::string& removableMember() {
    static const std::string condition = "NOT " + outOfReachAccount("tim_group_member.member_id");
    return condition;
}

// Returns how many memberships it removed.
std::size_t removeMembers(Poco::Data::Session& session, const std::string& groupId,
                          const std::vector<std::string>& ids) {
    std::size_t removed = 0;
    inChunks(ids, [&](const std::vector<std::string>& chunk) {
        std::vector<SqlParam> params{textParam(groupId)};
        auto more = texts(chunk);
        params.insert(params.end(), more.begin(), more.end());
        removed +=
            executeOnce(session,
                        "DELETE FROM tim_group_member WHERE group_id = ? AND " + removableMember() +
                            " AND member_id IN " + placeholders(chunk.size()),
                        params);
    });
    return removed;
}

// The ids of the members `matches` picks.
std::vector<std::string> matchingMembers(
    Poco::Data::Session& session, const std::string& groupId,
    const std::function<bool(const port::GroupMember&)>& matches) {
    std::vector<std::string> ids;
    for (const auto& member : listMembers(session, groupId)) {
        if (matches(member)) {
            ids.push_back(member.id);
        }
    }
    return ids;
}

// A group's displayName: unique, its holder always named.
UniqueKey nameOf(const port::GroupRow& row) {
    return {"tim_group", "display_name_key", row.displayNameKey, ""};
}

}  // namespace

std::optional<port::GroupRecord> findGroup(Poco::Data::Session& session, const std::string& id) {
    auto records = readRecords<port::GroupRecord>(
        session, std::string("SELECT ") + kGroupRecordColumns + " FROM tim_group g WHERE g.id = ?",
        {textParam(id)});
    if (records.empty()) {
        return std::nullopt;
    }
    return records.front();
}

namespace {

// The members SCIM shows of the groups among `groupIds`: (group id, member).
std::vector<std::pair<std::string, port::GroupMember>> membersOfGroups(
    Poco::Data::Session& session, const std::vector<std::string>& groupIds) {
    std::vector<std::pair<std::string, port::GroupMember>> rows;
    inChunks(groupIds, [&](const std::vector<std::string>& chunk) {
        const auto in = keptInList(texts(chunk));
        const auto& found = runPrepared(
            session,
            "SELECT m.group_id, m.member_id, m.member_type, u.user_name, g.display_name FROM "
            "tim_group_member m "
            "LEFT JOIN tim_user u ON u.id = m.member_id AND m.member_type = 'User' "
            "LEFT JOIN tim_group g ON g.id = m.member_id AND m.member_type = 'Group' "
            "WHERE m.group_id IN " +
                in.sql + " AND ((m.member_type = 'User' AND u.id IS NOT NULL AND " +
                visibleUser("u.") +
                ") OR (m.member_type = 'Group' AND g.id IS NOT NULL)) ORDER BY m.group_id, "
                "m.member_id",
            in.params,
            {ColumnType::Text, ColumnType::Text, ColumnType::Text, ColumnType::NullableText,
             ColumnType::NullableText});
        for (std::size_t i = 0; i < found.rows(); ++i) {
            const std::string& type = found.text(2)[i];
            const auto& name = type == "User" ? found.nullableText(3)[i] : found.nullableText(4)[i];
            rows.emplace_back(
                found.text(0)[i],
                port::GroupMember{found.text(1)[i], type, name.isNull() ? "" : name.value()});
        }
    });
    return rows;
}

}  // namespace

std::vector<port::GroupMember> listMembers(Poco::Data::Session& session,
                                           const std::string& groupId) {
    std::vector<port::GroupMember> members;
    for (auto& row : membersOfGroups(session, {groupId})) {
        members.push_back(std::move(row.second));
    }
    return members;
}

void readMembers(Poco::Data::Session& session, std::vector<port::GroupRecord>& groups) {
    std::map<std::string, port::GroupRecord*> byId;
    std::vector<std::string> ids;
    for (auto& group : groups) {
        group.members.emplace();
        byId[group.id] = &group;
        ids.push_back(group.id);
    }
    for (auto& row : membersOfGroups(session, ids)) {
        byId.at(row.first)->members->push_back(std::move(row.second));
    }
}

std::optional<port::LockedGroup> GroupRows::lock(const std::string& id) {
    // Locked and read in one statement.
    const auto& rows = runPrepared(
        _session,
        std::string("SELECT ") + kGroupRecordColumns +
            ", g.external_id, g.display_name_key FROM tim_group g WHERE g.id = ?" +
            _dialect.forUpdate(),
        {textParam(id)}, recordColumnTypes({ColumnType::NullableText, ColumnType::Text}));
    if (rows.rows() == 0) {
        return std::nullopt;
    }
    return port::LockedGroup{recordAt<port::GroupRecord>(rows, 0), rows.nullableText(5)[0],
                             rows.text(6)[0]};
}

std::optional<port::NamedGroup> GroupRows::lockNamed(const std::string& displayNameKey) {
    std::vector<std::string> ids;
    std::vector<Poco::Int64> managed;
    std::string key = displayNameKey;
    _session << std::string("SELECT id, managed FROM tim_group WHERE display_name_key = ?") +
                    _dialect.forUpdate(),
        use(key), into(ids), into(managed), now;
    if (ids.empty()) {
        return std::nullopt;
    }
    return port::NamedGroup{ids.front(), managed.front() != 0};
}

port::GroupRecord GroupRows::read(const std::string& id) {
    auto record = findGroup(_session, id);
    if (!record) {
        throw RowVanished("group " + id);
    }
    return *record;
}

void GroupRows::insert(const std::string& id, const port::GroupRow& row, bool managed) {
    const std::string& json = row.text;
    const Poco::Int64 now = nowMs();
    writeUnique(
        _session, _dialect, nameOf(row),
        [&] {
            runPrepared(
                _session,
                "INSERT INTO tim_group (id, display_name, display_name_key, external_id, "
                "role_key, doc, version, created_ms, modified_ms, managed) VALUES (?, ?, ?, ?, "
                "?, ?, 1, ?, ?, ?)",
                {textParam(id), textParam(row.displayName), textParam(row.displayNameKey),
                 nullableTextParam(row.externalId), nullableTextParam(row.roleKey), textParam(json),
                 numberParam(now), numberParam(now), numberParam(managed ? 1 : 0)});
        },
        [&](const std::string& holder) { return port::displayNameTaken(row.displayName, holder); });
}

Poco::Int64 GroupRows::update(const std::string& id, const port::GroupRow& row) {
    const std::string& json = row.text;
    const Poco::Int64 now = nowMs();
    writeUnique(
        _session, _dialect, nameOf(row),
        [&] {
            // Written by SCIM: managed from now on.
            runPrepared(
                _session,
                "UPDATE tim_group SET display_name = ?, display_name_key = ?, external_id = ?, "
                "role_key = ?, doc = ?, version = version + 1, modified_ms = ?, managed = 1 "
                "WHERE id = ?",
                {textParam(row.displayName), textParam(row.displayNameKey),
                 nullableTextParam(row.externalId), nullableTextParam(row.roleKey), textParam(json),
                 numberParam(now), textParam(id)});
        },
        [&](const std::string& holder) { return port::displayNameTaken(row.displayName, holder); });
    return now;
}

port::AppliedMemberChanges GroupRows::changeMembers(
    const std::string& groupId, const std::vector<port::MemberChange>& changes) {
    std::set<std::string> touched;
    port::AppliedMemberChanges result;
    for (const auto& given : changes) {
        // A filter becomes the ids it picks now: the members earlier changes left.
        port::MemberChange change = given;
        if (change.kind == port::MemberChange::Kind::RemoveMatching) {
            change.kind = port::MemberChange::Kind::Remove;
            change.ids = matchingMembers(_session, groupId, given.matches);
        }
        std::size_t added = 0;
        std::vector<std::string> before;
        const bool wholesale = change.kind == port::MemberChange::Kind::RemoveAll ||
                               change.kind == port::MemberChange::Kind::ReplaceAll;
        if (wholesale) {
            before = memberIds(_session, groupId);
            touched.insert(before.begin(), before.end());
            runPrepared(_session,
                        "DELETE FROM tim_group_member WHERE group_id = ? AND " + removableMember(),
                        {textParam(groupId)});
        }
        if (change.kind == port::MemberChange::Kind::Remove) {
            result.changed = removeMembers(_session, groupId, change.ids) > 0 || result.changed;
        }
        if (change.kind == port::MemberChange::Kind::Add ||
            change.kind == port::MemberChange::Kind::ReplaceAll) {
            const auto skipped = addMembers(_session, _dialect, groupId, change.ids, &added);
            result.ignored.insert(result.ignored.end(), skipped.begin(), skipped.end());
        }
        if (wholesale) {
            // Emptied and refilled: changed only if the set differs.
            std::set<std::string> was(before.begin(), before.end());
            const auto now = memberIds(_session, groupId);
            result.changed = result.changed || std::set<std::string>(now.begin(), now.end()) != was;
        } else {
            result.changed = result.changed || added > 0;
        }
        touched.insert(change.ids.begin(), change.ids.end());
    }
    result.touched.assign(touched.begin(), touched.end());
    return result;
}

std::size_t GroupRows::moveOutOfReachMembers(const std::string& fromGroupId,
                                             const std::string& toGroupId) {
    const auto hidden = selectIds(_session,
                                  "SELECT member_id FROM tim_group_member WHERE group_id = ? AND " +
                                      outOfReachAccount("tim_group_member.member_id"),
                                  {textParam(fromGroupId)});
    inChunks(hidden, [&](const std::vector<std::string>& chunk) {
        std::vector<SqlParam> params{textParam(toGroupId), textParam(fromGroupId)};
        const auto ids = texts(chunk);
        params.insert(params.end(), ids.begin(), ids.end());
        executeOnce(
            _session,
            "UPDATE tim_group_member SET group_id = ? WHERE group_id = ? AND member_id IN " +
                placeholders(chunk.size()),
            params);
    });
    return hidden.size();
}

std::vector<std::string> GroupRows::remove(const std::string& groupId) {
    const auto members = memberIds(_session, groupId);
    runPrepared(_session, "DELETE FROM tim_group_member WHERE group_id = ? OR member_id = ?",
                {textParam(groupId), textParam(groupId)});
    runPrepared(_session, "DELETE FROM tim_group WHERE id = ?", {textParam(groupId)});
    return members;
}

}  // namespace store
