#include "GroupRepository.h"

#include "StoreFailures.h"

#include "AuditTrail.h"

#include "Membership.h"
#include "QueryRunner.h"
#include "Retry.h"
#include "SqlAccountTransaction.h"
#include "SqlSupport.h"
#include "WriteTransaction.h"

#include "port/StoreErrors.h"
#include "scim/CaseFold.h"
#include "scim/GroupSchemas.h"
#include "scim/filter/Evaluator.h"

#include <algorithm>
#include <set>

namespace store {

using namespace Poco::Data::Keywords;

namespace {

constexpr const char* kRecordColumns = "g.id, g.doc, g.version, g.created_ms, g.modified_ms";
constexpr std::size_t kMaxGroupDocumentBytes = 60000;

port::Conflict displayNameTaken(const std::string& name, const std::string& holderId) {
    return port::Conflict(port::Conflict::Kind::Uniqueness,
                          "A group named \"" + name + "\" already exists" +
                              (holderId.empty() ? "" : " (id " + holderId + ")"),
                          holderId);
}

// Memberships SCIM may remove: not those of accounts out of its reach, which it never sees.
const std::string& removableMember() {
    static const std::string condition = "member_id NOT IN (" + outOfReachAccounts() + ")";
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
        Poco::Data::Statement remove(session);
        remove << "DELETE FROM tim_group_member WHERE group_id = ? AND " + removableMember() +
                      " AND member_id IN " + placeholders(chunk.size());
        bindAll(remove, params);
        removed += remove.execute();
    });
    return removed;
}

// The members group `groupId` has that SCIM shows: deleted users stop being listed, disabled
// ones stay members.
std::vector<port::GroupMember> listMembers(Poco::Data::Session& session,
                                           const std::string& groupId) {
    std::vector<std::string> ids;
    std::vector<std::string> types;
    std::vector<Poco::Nullable<std::string>> userNames;
    std::vector<Poco::Nullable<std::string>> groupNames;
    std::string key = groupId;
    session
        << "SELECT m.member_id, m.member_type, u.user_name, g.display_name FROM tim_group_member m "
           "LEFT JOIN tim_user u ON u.id = m.member_id AND m.member_type = 'User' "
           "LEFT JOIN tim_group g ON g.id = m.member_id AND m.member_type = 'Group' "
           "WHERE m.group_id = ? AND ((m.member_type = 'User' AND u.id IS NOT NULL AND " +
               visibleUser("u.") +
               ") "
               "OR (m.member_type = 'Group' AND g.id IS NOT NULL)) ORDER BY m.member_id",
        use(key), into(ids), into(types), into(userNames), into(groupNames), now;
    std::vector<port::GroupMember> result;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const auto& name = types[i] == "User" ? userNames[i] : groupNames[i];
        result.push_back(port::GroupMember{ids[i], types[i], name.isNull() ? "" : name.value()});
    }
    return result;
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

struct AppliedMemberChanges {
    std::vector<std::string> touched;  // ids whose membership may have changed
    std::vector<std::string> ignored;  // ids of no user or group here
    bool changed = false;              // the membership is not what it was
};

AppliedMemberChanges applyMemberChanges(Poco::Data::Session& session, const SqlDialect& dialect,
                                        const std::string& groupId,
                                        const std::vector<port::MemberChange>& changes) {
    std::set<std::string> touched;
    AppliedMemberChanges result;
    for (const auto& given : changes) {
        // A filter becomes the ids it picks now: the members earlier changes left.
        port::MemberChange change = given;
        if (change.kind == port::MemberChange::Kind::RemoveMatching) {
            change.kind = port::MemberChange::Kind::Remove;
            change.ids = matchingMembers(session, groupId, given.matches);
        }
        std::size_t added = 0;
        std::vector<std::string> before;
        const bool wholesale = change.kind == port::MemberChange::Kind::RemoveAll ||
                               change.kind == port::MemberChange::Kind::ReplaceAll;
        if (wholesale) {
            before = memberIds(session, groupId);
            touched.insert(before.begin(), before.end());
            runPrepared(session,
                        "DELETE FROM tim_group_member WHERE group_id = ? AND " + removableMember(),
                        {textParam(groupId)});
        }
        if (change.kind == port::MemberChange::Kind::Remove) {
            result.changed = removeMembers(session, groupId, change.ids) > 0 || result.changed;
        }
        if (change.kind == port::MemberChange::Kind::Add ||
            change.kind == port::MemberChange::Kind::ReplaceAll) {
            const auto skipped = addMembers(session, dialect, groupId, change.ids, &added);
            result.ignored.insert(result.ignored.end(), skipped.begin(), skipped.end());
        }
        if (wholesale) {
            // Emptied and refilled: changed only if the set differs.
            std::set<std::string> was(before.begin(), before.end());
            const auto now = memberIds(session, groupId);
            result.changed = result.changed || std::set<std::string>(now.begin(), now.end()) != was;
        } else {
            result.changed = result.changed || added > 0;
        }
        touched.insert(change.ids.begin(), change.ids.end());
    }
    result.touched.assign(touched.begin(), touched.end());
    return result;
}

// The group this transaction wrote.
port::GroupRecord readBack(Poco::Data::Session& session, const std::string& id) {
    auto records = readRecords<port::GroupRecord>(
        session, std::string("SELECT ") + kRecordColumns + " FROM tim_group g WHERE g.id = ?",
        {textParam(id)});
    if (records.empty()) {
        throw RowVanished("group " + id);
    }
    return records.front();
}

Poco::Int64 lockGroup(Poco::Data::Session& session, const SqlDialect& dialect,
                      const std::string& id, std::optional<Poco::Int64> expectedVersion) {
    const auto rows =
        selectIds(session,
                  std::string("SELECT CAST(version AS CHAR) FROM tim_group WHERE id = ?") +
                      dialect.forUpdate(),
                  {textParam(id)});
    if (rows.empty()) {
        throw port::NotFound("No group " + id);
    }
    const Poco::Int64 version = std::stoll(rows.front());
    if (expectedVersion && *expectedVersion != version) {
        throw port::VersionMismatch("The group changed since version " +
                                    std::to_string(*expectedVersion));
    }
    return version;
}

}  // namespace

struct GroupRepository::Columns {
    std::string displayName;
    std::string displayNameKey;
    Poco::Nullable<std::string> externalId;
    Poco::Nullable<std::string> roleKey;
};

GroupRepository::Columns GroupRepository::columnsOf(const Poco::JSON::Object::Ptr& doc) const {
    Columns c;
    c.displayName = doc->getValue<std::string>("displayName");
    c.displayNameKey = scim::foldCase(c.displayName);
    if (doc->has("externalId") && doc->get("externalId").isString()) {
        c.externalId = doc->getValue<std::string>("externalId");
    }
    if (const auto role = _rules.roleOf(c.displayName)) {
        c.roleKey = scim::foldCase(*role);
    }
    return c;
}

void GroupRepository::updateGroup(Poco::Data::Session& session, const std::string& id,
                                  const Columns& c, const std::string& json, Poco::Int64 now) {
    Columns columns = c;
    std::string document = json;
    std::string key = id;
    Poco::Int64 modified = now;
    // Written by SCIM: managed from now on.
    session << "UPDATE tim_group SET display_name = ?, display_name_key = ?, external_id = ?, "
               "role_key = ?, doc = ?, version = version + 1, modified_ms = ?, managed = 1 "
               "WHERE id = ?",
        use(columns.displayName), use(columns.displayNameKey), use(columns.externalId),
        use(columns.roleKey), use(document), use(modified), use(key), Poco::Data::Keywords::now;
}

void GroupRepository::insertGroup(Poco::Data::Session& session, const std::string& id,
                                  const Columns& c, const std::string& json, bool managed) {
    const Poco::Int64 now = nowMs();
    runPrepared(session,
                "INSERT INTO tim_group (id, display_name, display_name_key, external_id, "
                "role_key, doc, version, created_ms, modified_ms, managed) VALUES (?, ?, ?, ?, ?, "
                "?, 1, ?, ?, ?)",
                {textParam(id), textParam(c.displayName), textParam(c.displayNameKey),
                 nullableTextParam(c.externalId), nullableTextParam(c.roleKey), textParam(json),
                 numberParam(now), numberParam(now), numberParam(managed ? 1 : 0)});
}

std::string GroupRepository::keepForHiddenMembers(Poco::Data::Session& session,
                                                  const port::GroupRecord& record) {
    const auto hidden = selectIds(session,
                                  "SELECT member_id FROM tim_group_member WHERE group_id = ? AND "
                                  "member_id IN (" +
                                      outOfReachAccounts() + ")",
                                  {textParam(record.id)});
    if (hidden.empty()) {
        return "";
    }
    const std::string kept = newId();
    inChunks(hidden, [&](const std::vector<std::string>& chunk) {
        std::vector<SqlParam> params{textParam(kept), textParam(record.id)};
        const auto ids = texts(chunk);
        params.insert(params.end(), ids.begin(), ids.end());
        executeOnce(
            session,
            "UPDATE tim_group_member SET group_id = ? WHERE group_id = ? AND member_id IN " +
                placeholders(chunk.size()),
            params);
    });
    return kept;
}

port::GroupWriteResult GroupRepository::createOrBind(
    const Poco::JSON::Object::Ptr& doc,
    const std::optional<std::vector<std::string>>& members) try {
    Columns c = columnsOf(doc);
    std::string json = documentText(doc, kMaxGroupDocumentBytes);
    Poco::Data::Session session = _database.session();
    port::GroupWriteResult result;
    try {
        withRetry(_database.dialect(), [&] {
            WriteTransaction tx(session, _database.dialect());
            const auto existing =
                selectIds(session,
                          std::string("SELECT id FROM tim_group WHERE display_name_key = ?") +
                              _database.dialect().forUpdate(),
                          {textParam(c.displayNameKey)});
            std::string id;
            Poco::Int64 now = nowMs();
            std::vector<std::string> affected;
            if (!existing.empty()) {
                id = existing.front();
                // Only a group TIM created itself binds (guide FAQ 4); one SCIM manages is a
                // duplicate, externalId or not (RFC 7644 §3.3).
                const auto managed =
                    selectIds(session, "SELECT id FROM tim_group WHERE id = ? AND managed = 1",
                              {textParam(id)});
                if (!managed.empty()) {
                    throw displayNameTaken(c.displayName, id);
                }
                affected = memberIds(session, id);
                updateGroup(session, id, c, json, now);
                result.bound = true;
            } else {
                id = newId();
                insertGroup(session, id, c, json, true);
            }
            SqlAccountTransaction work(session, _database.dialect());
            if (!result.bound) {
                result.restored = _rules.restore(
                    work, {port::AccountKind::Group, id, c.externalId, c.displayNameKey});
            }
            if (members) {
                // After a restore, the members sent (Entra sends none, or []) add to it.
                const auto kind = result.restored.empty() ? port::MemberChange::Kind::ReplaceAll
                                                          : port::MemberChange::Kind::Add;
                const auto applied = applyMemberChanges(session, _database.dialect(), id,
                                                        {port::MemberChange{kind, *members}});
                affected.insert(affected.end(), applied.touched.begin(), applied.touched.end());
                result.ignoredMembers = applied.ignored;
            }
            // Members of other groups hold no role from them, unless role groups hold those
            // groups (a bound group may be in one).
            if (!c.roleKey.isNull() || _rules.rolesReachNestedGroups()) {
                _rules.grantRoles(work, affected);
            }
            auto changed = attributesOf(doc);
            if (members && !members->empty()) {
                changed.push_back("members");
            }
            recordAudit(session, {result.bound ? "bind" : "create", "Group", id, c.externalId,
                                  changed, result.restored.empty() ? "applied" : "restored"});
            result.record = readBack(session, id);
            tx.commit();
        });
    } catch (const Poco::Exception& e) {
        if (_database.dialect().isUniqueViolation(e)) {
            throw displayNameTaken(c.displayName, holderOf(_database.session(), "tim_group",
                                                           "display_name_key", c.displayNameKey));
        }
        throw;
    }
    return result;
} catch (...) {
    rethrowAsStoreError();
}

std::optional<port::GroupRecord> GroupRepository::find(const std::string& id) try {
    Poco::Data::Session session = _database.session();
    auto records = readRecords<port::GroupRecord>(
        session, std::string("SELECT ") + kRecordColumns + " FROM tim_group g WHERE g.id = ?",
        {textParam(id)});
    if (records.empty()) {
        return std::nullopt;
    }
    return records.front();
} catch (...) {
    rethrowAsStoreError();
}

std::vector<port::GroupMember> GroupRepository::members(const std::string& groupId) try {
    Poco::Data::Session session = _database.session();
    return listMembers(session, groupId);
} catch (...) {
    rethrowAsStoreError();
}

port::GroupWriteResult GroupRepository::replace(const std::string& id,
                                                const Poco::JSON::Object::Ptr& doc,
                                                const std::vector<std::string>& members,
                                                std::optional<Poco::Int64> expectedVersion) {
    return write(
        "replace", id, [&](const port::GroupRecord&) { return doc; },
        {port::MemberChange{port::MemberChange::Kind::ReplaceAll, members}}, expectedVersion);
}

port::GroupWriteResult GroupRepository::patch(const std::string& id,
                                              const port::ChangeGroup& change,
                                              const std::vector<port::MemberChange>& changes,
                                              std::optional<Poco::Int64> expectedVersion) {
    return write("patch", id, change, changes, expectedVersion);
}

port::GroupWriteResult GroupRepository::write(const char* operation, const std::string& id,
                                              const port::ChangeGroup& change,
                                              const std::vector<port::MemberChange>& changes,
                                              std::optional<Poco::Int64> expectedVersion) try {
    Poco::Data::Session session = _database.session();
    port::GroupWriteResult result;
    std::string displayName;
    try {
        withRetry(_database.dialect(), [&] {
            WriteTransaction tx(session, _database.dialect());
            lockGroup(session, _database.dialect(), id, expectedVersion);
            const port::GroupRecord current = readBack(session, id);
            const Poco::JSON::Object::Ptr next = change ? change(current) : current.doc;
            std::string json = documentText(next, kMaxGroupDocumentBytes);
            const bool docChanged = json != documentText(current.doc, kMaxGroupDocumentBytes);
            Columns before = columnsOf(current.doc);
            Columns c = columnsOf(next);
            displayName = c.displayName;
            std::vector<std::string> affected;
            if (before.roleKey != c.roleKey) {
                affected = memberIds(session, id);  // the role this group grants changed
            }
            const auto applied = applyMemberChanges(session, _database.dialect(), id, changes);
            affected.insert(affected.end(), applied.touched.begin(), applied.touched.end());
            result.ignoredMembers = applied.ignored;
            auto changed = changedAttributes(current.doc, next);
            if (applied.changed) {
                changed.push_back("members");
            }
            if (!changed.empty()) {
                recordAudit(session, {operation, "Group", id, c.externalId, changed});
            }
            if (docChanged || !changes.empty()) {
                updateGroup(session, id, c, json, nowMs());
            }
            if (!before.roleKey.isNull() || !c.roleKey.isNull() ||
                _rules.rolesReachNestedGroups()) {
                // Only a role group's members change roles, or, with nested role groups, the
                // users below any group.
                SqlAccountTransaction work(session, _database.dialect());
                _rules.grantRoles(work, affected);
            }
            result.record = readBack(session, id);
            tx.commit();
        });
    } catch (const Poco::Exception& e) {
        if (_database.dialect().isUniqueViolation(e)) {
            throw displayNameTaken(displayName,
                                   holderOf(_database.session(), "tim_group", "display_name_key",
                                            scim::foldCase(displayName)));
        }
        throw;
    }
    return result;
} catch (...) {
    rethrowAsStoreError();
}

bool GroupRepository::remove(const std::string& id,
                             std::optional<Poco::Int64> expectedVersion) try {
    Poco::Data::Session session = _database.session();
    return withRetry(_database.dialect(), [&] {
        WriteTransaction tx(session, _database.dialect());
        try {
            lockGroup(session, _database.dialect(), id, expectedVersion);
        } catch (const port::NotFound&) {
            return false;
        }
        const port::GroupRecord record = readBack(session, id);
        const Columns deleted = columnsOf(record.doc);
        // Accounts out of SCIM's reach that TIM put in the group keep it: the SCIM resource
        // goes (404 from now on), a TIM group of that name stays for them, unmanaged, so that
        // a later create of the name binds to it.
        const std::string keptAs = keepForHiddenMembers(session, record);
        recordAudit(session, {"delete",
                              "Group",
                              id,
                              deleted.externalId,
                              {},
                              keptAs.empty() ? "applied" : "kept-for-tim"});
        SqlAccountTransaction work(session, _database.dialect());
        deleteGroup(session, work, _rules, id);
        if (!keptAs.empty()) {
            Poco::JSON::Object::Ptr doc = new Poco::JSON::Object(*record.doc);
            doc->remove("externalId");
            Columns kept = deleted;
            kept.externalId.clear();
            insertGroup(session, keptAs, kept, documentText(doc, kMaxGroupDocumentBytes), false);
        }
        tx.commit();
        return true;
    });
} catch (...) {
    rethrowAsStoreError();
}

namespace {

bool mentionsMembers(const scim::filter::NodePtr& node) {
    if (!node) {
        return false;
    }
    return scim::sameName(node->path.attribute, "members") || mentionsMembers(node->left) ||
           mentionsMembers(node->right);
}

// A member filter matches the members a group shows: never an account out of SCIM's reach.
const std::string kMemberExists =
    "EXISTS (SELECT 1 FROM tim_group_member gm WHERE gm.group_id = g.id AND gm.member_id = ? "
    "AND gm.member_id NOT IN (" +
    outOfReachAccounts() + "))";

std::optional<Column> groupColumnFor(const scim::filter::AttrPath& path) {
    if (!path.schema.empty() && !scim::sameName(path.schema, scim::kGroupSchema)) {
        return std::nullopt;
    }
    if (path.subAttribute.empty()) {
        if (scim::sameName(path.attribute, "id")) {
            return Column{"g.id", ColumnKind::ExactText};
        }
        if (scim::sameName(path.attribute, "externalId")) {
            return Column{"g.external_id", ColumnKind::ExactText};
        }
        if (scim::sameName(path.attribute, "displayName")) {
            return Column{"g.display_name_key", ColumnKind::FoldedText};
        }
    }
    if (scim::sameName(path.attribute, "meta")) {
        if (scim::sameName(path.subAttribute, "created")) {
            return Column{"g.created_ms", ColumnKind::Time};
        }
        if (scim::sameName(path.subAttribute, "lastModified")) {
            return Column{"g.modified_ms", ColumnKind::Time};
        }
    }
    if (scim::sameName(path.attribute, "members") &&
        (path.subAttribute.empty() || scim::sameName(path.subAttribute, "value"))) {
        return Column{kMemberExists, ColumnKind::Membership};
    }
    return std::nullopt;
}

// members[value eq "x"]
std::optional<SqlCondition> groupValuePath(const scim::filter::Node& node) {
    if (!scim::sameName(node.path.attribute, "members") ||
        node.left->kind != scim::filter::Node::Kind::Compare ||
        !scim::sameName(node.left->path.attribute, "value") ||
        node.left->op != scim::filter::CompareOp::Eq ||
        node.left->value.kind != scim::filter::Literal::Kind::String) {
        return std::nullopt;
    }
    return SqlCondition{kMemberExists, {textParam(node.left->value.text)}};
}

}  // namespace

const ColumnMap& groupColumns() {
    static const ColumnMap columns{groupColumnFor, groupValuePath};
    return columns;
}

port::GroupPage GroupRepository::query(const port::GroupQuery& query,
                                       const port::RenderGroup& render) try {
    QuerySpec<port::GroupRecord> spec;
    spec.alias = "g";
    spec.from = "tim_group g";
    spec.visible = "1 = 1";
    spec.visibleUnindexed = "1 = 1";
    spec.recordColumns = kRecordColumns;
    spec.columns = &groupColumns();
    spec.schema = &scim::groupResourceSchema();
    spec.read = readRecords<port::GroupRecord>;  // one read serves every group query
    spec.visibleAtMostOne = "1 = 1";
    spec.countVisible =
        "SELECT CAST(COALESCE(SUM(n), 0) AS SIGNED) FROM scim_count WHERE resource = 'group'";
    spec.walkFrom = "tim_group g" + _database.dialect().seekWith("tim_group_listing");
    // Members are rendered only when the filter looks at them.
    const bool withMembers = mentionsMembers(query.filter);
    Poco::Data::Session session = _database.session();
    return runQuery<port::GroupRecord>(session, spec, query, [&](const port::GroupRecord& record) {
        return render(record, withMembers);
    });
} catch (...) {
    rethrowAsStoreError();
}

std::vector<port::CataloguedRole> GroupRepository::roleCatalogue() try {
    Poco::Data::Session session = _database.session();
    std::vector<std::string> names;
    std::vector<int> internal;
    std::vector<std::string> keys;
    session << "SELECT name, internal, name_key FROM tim_role ORDER BY name", into(names),
        into(internal), into(keys), now;
    std::vector<port::CataloguedRole> roles;
    for (std::size_t i = 0; i < names.size(); ++i) {
        port::CataloguedRole role{names[i], internal[i] != 0, {}};
        std::string key = keys[i];
        session << "SELECT DISTINCT u.user_name FROM tim_user_role ur JOIN tim_user u ON u.id = "
                   "ur.user_id "
                   "WHERE ur.role_key = ? AND u.deleted_ms IS NULL ORDER BY u.user_name",
            use(key), into(role.holders), now;
        roles.push_back(std::move(role));
    }
    return roles;
} catch (...) {
    rethrowAsStoreError();
}

bool GroupRepository::rolesCatalogued(const std::string& roleName) try {
    Poco::Data::Session session = _database.session();
    Poco::Int64 count = 0;
    std::string key = scim::foldCase(roleName);
    session << "SELECT COUNT(*) FROM tim_role WHERE name_key = ? AND internal = 0", use(key),
        into(count), now;
    return count > 0;
} catch (...) {
    rethrowAsStoreError();
}

}  // namespace store
