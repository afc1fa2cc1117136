#include "SqlAccountTransaction.h"

#include "AuditTrail.h"
#include "Membership.h"
#include "Snapshots.h"
#include "store/engine/SqlSupport.h"

#include <Poco/Data/Statement.h>

#include <algorithm>
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

std::set<std::string> SqlAccountTransaction::outOfReach(
    const std::vector<std::string>& accountIds) {
    std::set<std::string> hidden;
    inChunks(accountIds, [&](const std::vector<std::string>& chunk) {
        for (auto& id : selectIds(_session,
                                  "SELECT o.id FROM tim_user o WHERE o.id IN " +
                                      placeholders(chunk.size()) + " AND " + outOfReachUser(),
                                  texts(chunk))) {
            hidden.insert(std::move(id));
        }
    });
    return hidden;
}

std::vector<port::RoleOffer> SqlAccountTransaction::roleOffers(
    const std::vector<std::string>& userIds) {
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

std::vector<port::Membership> SqlAccountTransaction::membersOf(
    const std::vector<std::string>& groupIds) {
    return selectTriples<port::Membership>(
        _session,
        "SELECT group_id, member_id, member_type FROM tim_group_member WHERE group_id IN ",
        groupIds, membership);
}

std::vector<port::Membership> SqlAccountTransaction::groupsOf(
    const std::vector<std::string>& memberIds) {
    return selectTriples<port::Membership>(
        _session,
        "SELECT group_id, member_id, member_type FROM tim_group_member WHERE member_id IN ",
        memberIds, membership);
}

std::vector<port::GroupRole> SqlAccountTransaction::groupRoles(
    const std::vector<std::string>& groupIds) {
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

std::set<port::RoleGrant> SqlAccountTransaction::scimGrants(
    const std::vector<std::string>& userIds) {
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

void SqlAccountTransaction::changeGrants(const std::set<port::RoleGrant>& grants,
                                         const std::set<port::RoleGrant>& revocations) {
    // Revocations by role: a role group's deletion revokes one role from many users.
    std::map<std::string, std::vector<std::string>> revokedUsers;
    for (const auto& [user, role] : revocations) {
        revokedUsers[role].push_back(user);
        store::recordAudit(_session, {"revoke", "User", user, {}, {"roles:" + role}});
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
            store::recordAudit(_session,
                               {"grant", "User", grant.first, {}, {"roles:" + grant.second}});
        }
        Poco::Data::Statement insert(_session);
        insert << "INSERT INTO tim_user_role (user_id, role_key, source) VALUES " +
                      rowsOf(chunk.size(), "(?, ?, 'scim')");
        bindAll(insert, params);
        insert.execute();
    });
}

std::optional<std::vector<std::string>> SqlAccountTransaction::takeSnapshot(
    const port::CreatedAccount& created, Poco::Int64 notBeforeMs) {
    const std::vector<SnapshotRow>* read =
        created.kind == port::AccountKind::User && !created.externalId.isNull()
            ? _users.snapshotsRead(created.externalId.value())
            : nullptr;
    if (read) {
        return Snapshots::take(_session, created, notBeforeMs, *read);
    }
    return Snapshots::take(_session, created, notBeforeMs, Snapshots::read(_session, created));
}

std::size_t SqlAccountTransaction::addMembers(const std::string& groupId,
                                              const std::vector<std::string>& memberIds) {
    std::set<std::string> wanted(memberIds.begin(), memberIds.end());
    wanted.erase(groupId);
    const auto ignored = store::addMembers(_session, _dialect, groupId, memberIds);
    return wanted.size() - ignored.size();
}

std::size_t SqlAccountTransaction::joinGroups(const std::string& userId,
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

std::vector<port::RoleListing> SqlAccountTransaction::roleListings() {
    std::vector<std::string> keys;
    std::vector<Poco::Int64> flags;
    std::vector<Poco::Nullable<Poco::Int64>> priors;
    _session << "SELECT name_key, internal, prior_internal FROM scim_role_setting", into(keys),
        into(flags), into(priors), now;
    std::vector<port::RoleListing> listings;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        port::RoleListing listing{keys[i], flags[i] != 0, std::nullopt};
        if (!priors[i].isNull()) {
            listing.prior = priors[i].value() != 0;
        }
        listings.push_back(std::move(listing));
    }
    return listings;
}

void SqlAccountTransaction::addRoleListing(const port::RoleListing& listing) {
    std::string key = listing.key;
    Poco::Int64 flag = listing.internal ? 1 : 0;
    if (!listing.prior) {
        _session << "INSERT INTO scim_role_setting (name_key, internal, prior_internal) "
                    "VALUES (?, ?, NULL)",
            use(key), use(flag), now;
        return;
    }
    Poco::Int64 prior = *listing.prior ? 1 : 0;
    _session << "INSERT INTO scim_role_setting (name_key, internal, prior_internal) "
                "VALUES (?, ?, ?)",
        use(key), use(flag), use(prior), now;
}

void SqlAccountTransaction::changeRoleListing(const std::string& key, bool internal) {
    std::string k = key;
    Poco::Int64 flag = internal ? 1 : 0;
    _session << "UPDATE scim_role_setting SET internal = ? WHERE name_key = ?", use(flag), use(k),
        now;
}

void SqlAccountTransaction::removeRoleListing(const std::string& key) {
    std::string k = key;
    _session << "DELETE FROM scim_role_setting WHERE name_key = ?", use(k), now;
}

std::optional<bool> SqlAccountTransaction::catalogueStanding(const std::string& key) {
    std::string k = key;
    std::vector<Poco::Int64> flags;
    _session << "SELECT internal FROM tim_role WHERE name_key = ?", use(k), into(flags), now;
    return flags.empty() ? std::nullopt : std::make_optional(flags[0] != 0);
}

void SqlAccountTransaction::setCatalogueRole(const std::string& key, const std::string& name,
                                             bool internal) {
    std::string k = key;
    std::string n = name;
    Poco::Int64 flag = internal ? 1 : 0;
    _session << _dialect.insertSkippingExisting(
        "INSERT INTO tim_role (name_key, name, internal) VALUES (?, ?, ?)", "name_key"),
        use(k), use(n), use(flag), now;
    setCatalogueStanding(key, internal);
}

void SqlAccountTransaction::setCatalogueStanding(const std::string& key, bool internal) {
    std::string k = key;
    Poco::Int64 flag = internal ? 1 : 0;
    _session << "UPDATE tim_role SET internal = ? WHERE name_key = ?", use(flag), use(k), now;
}

void SqlAccountTransaction::removeCatalogueRole(const std::string& key) {
    std::string k = key;
    _session << "DELETE FROM tim_role WHERE name_key = ?", use(k), now;
}

std::vector<std::string> SqlAccountTransaction::roleGrantHolders() {
    std::vector<std::string> ids;
    _session << "SELECT m.member_id FROM tim_group_member m JOIN tim_group g ON g.id = "
                "m.group_id WHERE g.role_key IS NOT NULL "
                "UNION SELECT user_id FROM tim_user_role WHERE source = 'scim'",
        into(ids), now;
    std::sort(ids.begin(), ids.end());
    return ids;
}

std::optional<port::LockedGroup> SqlAccountTransaction::lockGroup(const std::string& id) {
    return _groups.lock(id);
}

std::optional<port::NamedGroup> SqlAccountTransaction::lockGroupNamed(
    const std::string& displayNameKey) {
    return _groups.lockNamed(displayNameKey);
}

port::GroupRecord SqlAccountTransaction::readGroup(const std::string& id) {
    return _groups.read(id);
}

void SqlAccountTransaction::insertGroup(const std::string& id, const port::GroupRow& row,
                                        bool managed) {
    _groups.insert(id, row, managed);
}

Poco::Int64 SqlAccountTransaction::updateGroup(const std::string& id, const port::GroupRow& row) {
    return _groups.update(id, row);
}

port::AppliedMemberChanges SqlAccountTransaction::changeMembers(
    const std::string& groupId, const std::vector<port::MemberChange>& changes) {
    return _groups.changeMembers(groupId, changes);
}

std::size_t SqlAccountTransaction::moveOutOfReachMembers(const std::string& fromGroupId,
                                                         const std::string& toGroupId) {
    return _groups.moveOutOfReachMembers(fromGroupId, toGroupId);
}

std::vector<std::string> SqlAccountTransaction::deleteGroup(const std::string& groupId) {
    return _groups.remove(groupId);
}

void SqlAccountTransaction::saveSnapshot(const port::CreatedAccount& deleted,
                                         const std::vector<std::string>& ids) {
    Snapshots::save(_session, deleted, ids);
}

void SqlAccountTransaction::recordAudit(const port::AuditEvent& event) {
    store::recordAudit(_session, event);
}

std::vector<port::AccountCandidate> SqlAccountTransaction::userCandidates(
    const port::UserColumns& columns) {
    return _users.candidates(columns);
}

void SqlAccountTransaction::lockCandidate(const port::AccountCandidate& candidate) {
    _users.lockCandidate(candidate);
}

void SqlAccountTransaction::eraseUser(const std::string& id,
                                      const Poco::Nullable<std::string>& externalId,
                                      const std::string& why) {
    _users.erase(id, externalId, why);
}

Poco::Int64 SqlAccountTransaction::insertUser(const std::string& id, const port::UserRow& row,
                                              const port::PasswordChange& password, bool byScim) {
    return _users.insert(id, row, password, byScim);
}

bool SqlAccountTransaction::updateUser(const std::string& id, const port::UserRow& row,
                                       const port::UserWrite& write) {
    return _users.update(id, row, write);
}

std::optional<port::LockedUser> SqlAccountTransaction::lockUser(const std::string& id) {
    return _users.lock(id);
}

port::CredentialStanding SqlAccountTransaction::credentialStanding(const std::string& id) {
    return _users.credentialStanding(id);
}

void SqlAccountTransaction::refuseTakenUserName(const port::UserColumns& columns,
                                                const std::string& id) {
    _users.refuseTakenUserName(columns, id);
}

port::UserRecord SqlAccountTransaction::readUser(const std::string& id) {
    return _users.read(id);
}

void SqlAccountTransaction::readManager(port::UserRecord& record) {
    _users.readManager(record);
}

Poco::Nullable<std::string> SqlAccountTransaction::markUserDeleted(const std::string& id) {
    return _users.markDeleted(id);
}

void SqlAccountTransaction::grantTimRole(const std::string& userId, const std::string& roleKey) {
    _users.grantTimRole(userId, roleKey);
}

bool SqlAccountTransaction::hasMark(const std::string& name) {
    std::string n = name;
    std::vector<std::string> marks;
    _session << "SELECT name FROM scim_state WHERE name = ?", use(n), into(marks), now;
    return !marks.empty();
}

void SqlAccountTransaction::setMark(const std::string& name) {
    std::string n = name;
    std::string yes = "1";
    _session << "INSERT INTO scim_state (name, value) VALUES (?, ?)", use(n), use(yes), now;
}

void SqlAccountTransaction::clearMark(const std::string& name) {
    std::string n = name;
    _session << "DELETE FROM scim_state WHERE name = ?", use(n), now;
}

}  // namespace store
