#include "GroupService.h"

#include "port/Ids.h"
#include "port/StoreErrors.h"
#include "scim/CaseFold.h"
#include "scim/DocumentChanges.h"

namespace tim {
namespace {

// Throws VersionMismatch when the client's version is stale.
void checkVersion(const port::GroupRecord& current, std::optional<Poco::Int64> expectedVersion) {
    if (expectedVersion && *expectedVersion != current.version) {
        throw port::VersionMismatch("The group changed since version " +
                                    std::to_string(*expectedVersion));
    }
}

// The group, locked; throws NotFound or VersionMismatch.
port::GroupRecord lockedGroup(port::AccountTransaction& tx, const std::string& id,
                              std::optional<Poco::Int64> expectedVersion) {
    auto locked = tx.lockGroup(id);
    if (!locked) {
        throw port::NotFound("No group " + id);
    }
    checkVersion(locked->record, expectedVersion);
    return locked->record;
}

std::vector<std::string> idsOf(const std::vector<port::Membership>& rows) {
    std::vector<std::string> ids;
    for (const auto& row : rows) {
        ids.push_back(row.memberId);
    }
    return ids;
}

}  // namespace

port::GroupRow GroupService::columnsOf(const Poco::JSON::Object::Ptr& doc) const {
    port::GroupRow row;
    row.displayName = doc->getValue<std::string>("displayName");
    row.displayNameKey = scim::foldCase(row.displayName);
    if (doc->has("externalId") && doc->get("externalId").isString()) {
        row.externalId = doc->getValue<std::string>("externalId");
    }
    if (const auto role = _rules.roleOf(row.displayName)) {
        row.roleKey = scim::foldCase(*role);
    }
    row.doc = doc;
    return row;
}

port::GroupRow GroupService::rowOf(const Poco::JSON::Object::Ptr& doc) const {
    port::GroupRow row = columnsOf(doc);
    row.text = port::documentText(doc);  // TooLarge before anything is written
    return row;
}

port::GroupWriteResult GroupService::createOrBind(
    const Poco::JSON::Object::Ptr& doc, const std::optional<std::vector<std::string>>& members) {
    const port::GroupRow row = rowOf(doc);
    port::GroupWriteResult result;
    _transactions.run([&](port::AccountTransaction& tx) {
        result = {};
        std::string id;
        std::vector<std::string> affected;
        if (const auto holder = tx.lockGroupNamed(row.displayNameKey)) {
            // Only a group TIM created itself binds (guide FAQ 4); one SCIM manages is a
            // duplicate, externalId or not (RFC 7644 §3.3).
            if (holder->managed) {
                throw port::displayNameTaken(row.displayName, holder->id);
            }
            id = holder->id;
            affected = idsOf(tx.membersOf({id}));
            tx.updateGroup(id, row);
            result.bound = true;
        } else {
            id = port::newId();
            tx.insertGroup(id, row, true);
            result.restored = _rules.restore(
                tx, {port::AccountKind::Group, id, row.externalId, row.displayNameKey});
        }
        if (members) {
            // After a restore, the members sent (Entra sends none, or []) add to it.
            const auto kind = result.restored.empty() ? port::MemberChange::Kind::ReplaceAll
                                                      : port::MemberChange::Kind::Add;
            const auto applied = tx.changeMembers(id, {port::MemberChange{kind, *members}});
            affected.insert(affected.end(), applied.touched.begin(), applied.touched.end());
            result.ignoredMembers = applied.ignored;
        }
        // Members of other groups hold no role from them, unless role groups hold those groups
        // (a bound group may be in one).
        if (!row.roleKey.isNull() || _rules.rolesReachNestedGroups()) {
            _rules.grantRoles(tx, affected);
        }
        auto changed = scim::attributesOf(doc);
        if (members && !members->empty()) {
            changed.push_back("members");
        }
        tx.recordAudit({result.bound ? "bind" : "create", "Group", id, row.externalId, changed,
                        result.restored.empty() ? "applied" : "restored"});
        result.record = tx.readGroup(id);
    });
    return result;
}

port::GroupWriteResult GroupService::replace(const std::string& id,
                                             const Poco::JSON::Object::Ptr& doc,
                                             const std::vector<std::string>& members,
                                             std::optional<Poco::Int64> expectedVersion) {
    return write(
        "replace", id, [&](const port::GroupRecord&) { return doc; },
        {port::MemberChange{port::MemberChange::Kind::ReplaceAll, members}}, expectedVersion);
}

port::GroupWriteResult GroupService::patch(const std::string& id, const port::ChangeGroup& change,
                                           const std::vector<port::MemberChange>& changes,
                                           std::optional<Poco::Int64> expectedVersion) {
    return write("patch", id, change, changes, expectedVersion);
}

port::GroupWriteResult GroupService::write(const char* operation, const std::string& id,
                                           const port::ChangeGroup& change,
                                           const std::vector<port::MemberChange>& changes,
                                           std::optional<Poco::Int64> expectedVersion) {
    port::GroupWriteResult result;
    _transactions.run([&](port::AccountTransaction& tx) {
        result = {};
        const port::GroupRecord current = lockedGroup(tx, id, expectedVersion);
        const Poco::JSON::Object::Ptr next = change ? change(current) : current.doc;
        const port::GroupRow before = columnsOf(current.doc);
        const port::GroupRow row = rowOf(next);
        std::vector<std::string> affected;
        if (before.roleKey != row.roleKey) {
            affected = idsOf(tx.membersOf({id}));  // the role this group grants changed
        }
        const auto applied = tx.changeMembers(id, changes);
        affected.insert(affected.end(), applied.touched.begin(), applied.touched.end());
        result.ignoredMembers = applied.ignored;
        auto changed = scim::changedAttributes(current.doc, next);
        const bool documentChanged = !scim::sameDocument(current.doc, next);
        if (applied.changed) {
            changed.push_back("members");
        }
        if (!changed.empty()) {
            tx.recordAudit({operation, "Group", id, row.externalId, changed});
        }
        // The group as this write leaves it (locked since it was read: nothing else wrote it).
        result.record = current;
        if (documentChanged || !changes.empty()) {
            result.record.doc = next;
            result.record.version = current.version + 1;
            result.record.modifiedMs = tx.updateGroup(id, row);
        }
        // Only a role group's members change roles, or, with nested role groups, the users
        // below any group.
        if (!before.roleKey.isNull() || !row.roleKey.isNull() || _rules.rolesReachNestedGroups()) {
            _rules.grantRoles(tx, affected);
        }
    });
    return result;
}

void GroupService::deleteGroup(port::AccountTransaction& tx, const std::string& id) const {
    _rules.grantRoles(tx, tx.deleteGroup(id));
}

bool GroupService::remove(const std::string& id, std::optional<Poco::Int64> expectedVersion) {
    bool removed = false;
    _transactions.run([&](port::AccountTransaction& tx) {
        removed = false;
        const auto locked = tx.lockGroup(id);
        if (!locked) {
            tx.discard();
            return;
        }
        const port::GroupRecord& record = locked->record;
        checkVersion(record, expectedVersion);
        const port::GroupRow deleted = columnsOf(record.doc);
        const std::string keptAs = port::newId();
        const bool kept = tx.moveOutOfReachMembers(id, keptAs) > 0;
        tx.recordAudit(
            {"delete", "Group", id, deleted.externalId, {}, kept ? "kept-for-tim" : "applied"});
        deleteGroup(tx, id);
        if (kept) {
            port::GroupRow row = deleted;
            row.doc = new Poco::JSON::Object(*record.doc);
            row.doc->remove("externalId");
            row.externalId.clear();
            row.text = port::documentText(row.doc);
            tx.insertGroup(keptAs, row, false);
        }
        removed = true;
    });
    return removed;
}

bool GroupService::deleteInTim(const std::string& id) {
    bool deleted = false;
    _transactions.run([&](port::AccountTransaction& tx) {
        deleted = false;
        // From the columns: a group TIM created has them whatever its document holds.
        const auto locked = tx.lockGroup(id);
        if (!locked) {
            tx.discard();
            return;
        }
        tx.saveSnapshot({port::AccountKind::Group, id, locked->externalId, locked->displayNameKey},
                        idsOf(tx.membersOf({id})));
        deleteGroup(tx, id);
        tx.recordAudit({"tim-delete", "Group", id, locked->externalId, {"members"}});
        deleted = true;
    });
    return deleted;
}

std::optional<port::GroupRecord> GroupService::find(const std::string& id) {
    return _reads.find(id);
}

std::vector<port::GroupMember> GroupService::members(const std::string& groupId) {
    return _reads.members(groupId);
}

port::GroupPage GroupService::query(const port::GroupQuery& query, bool withMembers,
                                    const port::RenderGroup& render) {
    return _reads.query(query, withMembers, render);
}

std::vector<port::CataloguedRole> GroupService::roleCatalogue() {
    return _reads.roleCatalogue();
}

bool GroupService::rolesCatalogued(const std::string& roleName) {
    return _reads.rolesCatalogued(roleName);
}

}  // namespace tim
