#include "SqlAccountWork.h"

#include "AuditTrail.h"
#include "Membership.h"
#include "Snapshots.h"
#include "SqlSupport.h"

#include <Poco/Data/Statement.h>

#include <map>

namespace store {

using namespace Poco::Data::Keywords;

namespace {

// What the catalogue says of role group g's role, as the third column of a SELECT.
const char* const kStandingColumn =
    "CASE WHEN r.name_key IS NULL THEN 'unknown' WHEN r.internal = 1 THEN 'internal' "
    "ELSE 'grantable' END";

port::RoleStanding standingOf(const std::string& column) {
    return column == "grantable"  ? port::RoleStanding::Grantable
           : column == "internal" ? port::RoleStanding::Internal
                                  : port::RoleStanding::Unknown;
}

// Rows of `sql` (three text columns, `IN ` + the chunk's placeholders appended) for each chunk
// of `ids`.
template <typename Row, typename MakeRow>
std::vector<Row> selectTriples(Poco::Data::Session& session, const std::string& sql,
                               const std::vector<std::string>& ids, MakeRow&& makeRow) {
    std::vector<Row> rows;
    inChunks(ids, [&](const std::vector<std::string>& chunk) {
        auto params = texts(chunk);
        std::vector<std::string> first;
        std::vector<std::string> second;
        std::vector<std::string> third;
        Poco::Data::Statement select(session);
        select << sql + placeholders(chunk.size());
        bindAll(select, params);
        select, into(first), into(second), into(third);
        select.execute();
        for (std::size_t i = 0; i < first.size(); ++i) {
            rows.push_back(makeRow(first[i], second[i], third[i]));
        }
    });
    return rows;
}

port::Membership membership(const std::string& group, const std::string& member,
                            const std::string& type) {
    return {group, member, type == "Group" ? port::AccountKind::Group : port::AccountKind::User};
}

}  // namespace

std::set<std::string> SqlAccountWork::outOfReach(const std::vector<std::string>& accountIds) {
    std::set<std::string> hidden;
    inChunks(accountIds, [&](const std::vector<std::string>& chunk) {
        for (auto& id : selectIds(_session,
                                  "SELECT id FROM tim_user WHERE id IN (" + outOfReachAccounts() +
                                      ") AND id IN " + placeholders(chunk.size()),
                                  texts(chunk))) {
            hidden.insert(std::move(id));
        }
    });
    return hidden;
}

std::vector<port::RoleOffer> SqlAccountWork::roleOffers(const std::vector<std::string>& userIds) {
    return selectTriples<port::RoleOffer>(
        _session,
        std::string("SELECT m.member_id, g.role_key, ") + kStandingColumn +
            " FROM tim_group_member m JOIN tim_group g ON g.id = m.group_id "
            "LEFT JOIN tim_role r ON r.name_key = g.role_key "
            "WHERE m.member_type = 'User' AND g.role_key IS NOT NULL AND m.member_id IN ",
        userIds, [](const std::string& user, const std::string& role, const std::string& standing) {
            return port::RoleOffer{user, role, standingOf(standing)};
        });
}

std::vector<port::Membership> SqlAccountWork::membersOf(const std::vector<std::string>& groupIds) {
    return selectTriples<port::Membership>(
        _session,
        "SELECT group_id, member_id, member_type FROM tim_group_member WHERE group_id IN ",
        groupIds, membership);
}

std::vector<port::Membership> SqlAccountWork::groupsOf(const std::vector<std::string>& memberIds) {
    return selectTriples<port::Membership>(
        _session,
        "SELECT group_id, member_id, member_type FROM tim_group_member WHERE member_id IN ",
        memberIds, membership);
}

std::vector<port::GroupRole> SqlAccountWork::groupRoles(const std::vector<std::string>& groupIds) {
    return selectTriples<port::GroupRole>(
        _session,
        std::string("SELECT g.id, g.role_key, ") + kStandingColumn +
            " FROM tim_group g LEFT JOIN tim_role r ON r.name_key = g.role_key "
            "WHERE g.role_key IS NOT NULL AND g.id IN ",
        groupIds,
        [](const std::string& group, const std::string& role, const std::string& standing) {
            return port::GroupRole{group, role, standingOf(standing)};
        });
}

std::set<port::RoleGrant> SqlAccountWork::scimGrants(const std::vector<std::string>& userIds) {
    std::set<port::RoleGrant> grants;
    inChunks(userIds, [&](const std::vector<std::string>& chunk) {
        auto params = texts(chunk);
        std::vector<std::string> users;
        std::vector<std::string> roles;
        Poco::Data::Statement select(_session);
        select << "SELECT user_id, role_key FROM tim_user_role WHERE source = 'scim' AND "
                  "user_id IN " +
                      placeholders(chunk.size());
        bindAll(select, params);
        select, into(users), into(roles);
        select.execute();
        for (std::size_t i = 0; i < users.size(); ++i) {
            grants.emplace(users[i], roles[i]);
        }
    });
    return grants;
}

void SqlAccountWork::changeGrants(const std::set<port::RoleGrant>& grants,
                                  const std::set<port::RoleGrant>& revocations) {
    // Revocations by role: a role group's deletion revokes one role from many users.
    std::map<std::string, std::vector<std::string>> revokedUsers;
    for (const auto& [user, role] : revocations) {
        revokedUsers[role].push_back(user);
        recordAudit(_session, {"revoke", "User", user, {}, {"roles:" + role}});
    }
    for (const auto& byRole : revokedUsers) {
        // A named reference, not a structured binding: C++17 lambdas cannot capture those.
        const std::string& role = byRole.first;
        inChunks(byRole.second, [&](const std::vector<std::string>& chunk) {
            std::vector<SqlParam> params{textParam(role)};
            auto ids = texts(chunk);
            params.insert(params.end(), ids.begin(), ids.end());
            Poco::Data::Statement remove(_session);
            remove << "DELETE FROM tim_user_role WHERE source = 'scim' AND role_key = ? AND "
                      "user_id IN " +
                          placeholders(chunk.size());
            bindAll(remove, params);
            remove.execute();
        });
    }
    const std::vector<port::RoleGrant> granted(grants.begin(), grants.end());
    inChunks(granted, [&](const std::vector<port::RoleGrant>& chunk) {
        std::vector<SqlParam> params;
        for (const auto& grant : chunk) {
            params.push_back(textParam(grant.first));
            params.push_back(textParam(grant.second));
            recordAudit(_session, {"grant", "User", grant.first, {}, {"roles:" + grant.second}});
        }
        Poco::Data::Statement insert(_session);
        insert << "INSERT INTO tim_user_role (user_id, role_key, source) VALUES " +
                      rowsOf(chunk.size(), "(?, ?, 'scim')");
        bindAll(insert, params);
        insert.execute();
    });
}

std::optional<std::vector<std::string>> SqlAccountWork::takeSnapshot(
    const port::CreatedAccount& created, Poco::Int64 notBeforeMs) {
    return Snapshots::take(_session, created, notBeforeMs);
}

std::size_t SqlAccountWork::addMembers(const std::string& groupId,
                                       const std::vector<std::string>& memberIds) {
    std::set<std::string> wanted(memberIds.begin(), memberIds.end());
    wanted.erase(groupId);
    const auto ignored = store::addMembers(_session, _dialect, groupId, memberIds);
    return wanted.size() - ignored.size();
}

std::size_t SqlAccountWork::joinGroups(const std::string& userId,
                                       const std::vector<std::string>& groupIds) {
    std::size_t joined = 0;
    for (const auto& groupId : groupIds) {
        // Only groups that still exist.
        if (!selectIds(_session, "SELECT id FROM tim_group WHERE id = ?", {textParam(groupId)})
                 .empty()) {
            store::addMembers(_session, _dialect, groupId, {userId});
            ++joined;
        }
    }
    return joined;
}

}  // namespace store
