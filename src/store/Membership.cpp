#include "Membership.h"

#include "AuditTrail.h"
#include "SqlSupport.h"

#include <Poco/Data/Statement.h>

#include <set>
#include <tuple>

namespace store {

using namespace Poco::Data::Keywords;

std::vector<SqlParam> texts(const std::vector<std::string>& values) {
    std::vector<SqlParam> params;
    for (const auto& v : values) {
        params.push_back(textParam(v));
    }
    return params;
}

std::vector<std::string> selectIds(Poco::Data::Session& session, const std::string& sql,
                                   std::vector<SqlParam> params) {
    std::vector<std::string> ids;
    Poco::Data::Statement select(session);
    select << sql;
    bindAll(select, params);
    select, into(ids);
    select.execute();
    return ids;
}

// The members a group has now.
std::vector<std::string> memberIds(Poco::Data::Session& session, const std::string& groupId) {
    return selectIds(session, "SELECT member_id FROM tim_group_member WHERE group_id = ?",
                     {textParam(groupId)});
}

namespace {

// The roles role groups grant these users now: (user id, role).
std::set<std::pair<std::string, std::string>> scimRolesOf(Poco::Data::Session& session,
                                                          const std::vector<std::string>& userIds) {
    auto params = texts(userIds);
    std::vector<std::string> users;
    std::vector<std::string> roles;
    Poco::Data::Statement select(session);
    select << "SELECT user_id, role_key FROM tim_user_role WHERE source = 'scim' AND user_id IN " +
                  placeholders(userIds.size());
    bindAll(select, params);
    select, into(users), into(roles);
    select.execute();
    std::set<std::pair<std::string, std::string>> rows;
    for (std::size_t i = 0; i < users.size(); ++i) {
        rows.emplace(users[i], roles[i]);
    }
    return rows;
}

// One audit row per role granted or revoked.
void auditRoleChanges(Poco::Data::Session& session,
                      const std::set<std::pair<std::string, std::string>>& before,
                      const std::set<std::pair<std::string, std::string>>& after) {
    for (const auto& [from, to, operation] :
         {std::tuple{&after, &before, "grant"}, std::tuple{&before, &after, "revoke"}}) {
        for (const auto& row : *from) {
            if (!to->count(row)) {
                recordAudit(session, {operation, "User", row.first, {}, {"roles:" + row.second}});
            }
        }
    }
}

}  // namespace

// Recomputes the 'scim' roles of these users from the role groups they are members of, and
// audits each grant and revocation.
void recomputeRoles(Poco::Data::Session& session, const std::vector<std::string>& userIds) {
    inChunks(userIds, [&](const std::vector<std::string>& chunk) {
        const auto before = scimRolesOf(session, chunk);
        auto params = texts(chunk);
        Poco::Data::Statement remove(session);
        remove << "DELETE FROM tim_user_role WHERE source = 'scim' AND user_id IN " +
                      placeholders(chunk.size());
        bindAll(remove, params);
        remove.execute();
        auto insertParams = texts(chunk);
        Poco::Data::Statement insert(session);
        insert << "INSERT INTO tim_user_role (user_id, role_key, source) "
                  "SELECT DISTINCT m.member_id, g.role_key, 'scim' FROM tim_group_member m "
                  "JOIN tim_group g ON g.id = m.group_id "
                  "JOIN tim_role r ON r.name_key = g.role_key AND r.internal = 0 "
                  "WHERE m.member_type = 'User' AND m.member_id IN " +
                      placeholders(chunk.size());
        bindAll(insert, insertParams);
        insert.execute();
        auditRoleChanges(session, before, scimRolesOf(session, chunk));
    });
}

// Adds the members that exist (users SCIM shows, or groups); returns the ids ignored.
std::vector<std::string> addMembers(Poco::Data::Session& session, const SqlDialect& dialect,
                                    const std::string& groupId, const std::vector<std::string>& ids,
                                    std::size_t* added) {
    std::set<std::string> unique(ids.begin(), ids.end());
    unique.erase(groupId);
    const std::vector<std::string> wanted(unique.begin(), unique.end());
    std::vector<std::pair<std::string, std::string>> found;
    inChunks(wanted, [&](const std::vector<std::string>& chunk) {
        for (const auto& id :
             selectIds(session,
                       "SELECT id FROM tim_user WHERE " + visibleUserUnindexed(dialect, "") +
                           " AND id IN " + placeholders(chunk.size()),
                       texts(chunk))) {
            found.emplace_back(id, "User");
        }
        for (const auto& id : selectIds(
                 session, "SELECT id FROM tim_group WHERE id IN " + placeholders(chunk.size()),
                 texts(chunk))) {
            found.emplace_back(id, "Group");
        }
    });
    for (std::size_t start = 0; start < found.size(); start += kChunk) {
        const std::size_t end = std::min(found.size(), start + kChunk);
        std::string sql = "INSERT INTO tim_group_member (group_id, member_id, member_type) VALUES ";
        std::vector<SqlParam> params;
        for (std::size_t i = start; i < end; ++i) {
            sql += i > start ? ", (?, ?, ?)" : "(?, ?, ?)";
            params.push_back(textParam(groupId));
            params.push_back(textParam(found[i].first));
            params.push_back(textParam(found[i].second));
        }
        Poco::Data::Statement insert(session);
        insert << dialect.insertSkippingExisting(sql, "group_id");
        bindAll(insert, params);
        const std::size_t inserted = insert.execute();  // the new ones
        if (added != nullptr) {
            *added += inserted;
        }
    }
    std::set<std::string> present;
    for (const auto& f : found) {
        present.insert(f.first);
    }
    std::vector<std::string> ignored;
    for (const auto& id : wanted) {
        if (!present.count(id)) {
            ignored.push_back(id);
        }
    }
    return ignored;
}

std::vector<std::string> deleteGroup(Poco::Data::Session& session, const std::string& groupId) {
    const auto members = memberIds(session, groupId);
    runPrepared(session, "DELETE FROM tim_group_member WHERE group_id = ? OR member_id = ?",
                {textParam(groupId), textParam(groupId)});
    runPrepared(session, "DELETE FROM tim_group WHERE id = ?", {textParam(groupId)});
    recomputeRoles(session, members);
    return members;
}

}  // namespace store
