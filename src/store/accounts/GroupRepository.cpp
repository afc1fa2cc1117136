#include "GroupRepository.h"

#include "store/engine/StoreFailures.h"

#include "GroupRows.h"
#include "store/engine/SqlSupport.h"
#include "store/query/QueryRunner.h"

#include "scim/CaseFold.h"
#include "scim/GroupSchemas.h"
#include "scim/filter/Evaluator.h"

namespace store {

using namespace Poco::Data::Keywords;

std::optional<port::GroupRecord> GroupRepository::find(const std::string& id) {
    return storeCall([&]() -> std::optional<port::GroupRecord> {
        Poco::Data::Session session = _database.session();
        return findGroup(session, id);
    });
}

std::vector<port::GroupMember> GroupRepository::members(const std::string& groupId) {
    return storeCall([&]() -> std::vector<port::GroupMember> {
        Poco::Data::Session session = _database.session();
        return listMembers(session, groupId);
    });
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
    "AND NOT " +
    store::outOfReachAccount("gm.member_id") + ")";

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

port::GroupPage GroupRepository::query(const port::GroupQuery& query, bool withMembers,
                                       const port::RenderGroup& render) {
    return storeCall([&]() -> port::GroupPage {
        QuerySpec<port::GroupRecord> spec;
        spec.alias = "g";
        spec.from = "tim_group g";
        spec.visible = "1 = 1";
        spec.visibleUnindexed = "1 = 1";
        spec.recordColumns = kGroupRecordColumns;
        spec.columns = &groupColumns();
        spec.schema = &scim::groupResourceSchema();
        spec.read = readRecords<port::GroupRecord>;  // one read serves every group query
        spec.visibleAtMostOne = "1 = 1";
        spec.countVisible =
            "SELECT CAST(COALESCE(SUM(n), 0) AS SIGNED) FROM scim_count WHERE resource = 'group'";
        spec.walkFrom = "tim_group g" + _database.dialect().seekWith("tim_group_listing");
        // Members are read for a scan only when the filter looks at them, for a page when shown.
        if (mentionsMembers(query.filter)) {
            spec.completeScanned = readMembers;
            spec.scanBatch = kMemberScanBatch;
        }
        if (withMembers) {
            spec.completePage = readMembers;
        }
        Poco::Data::Session session = _database.session();
        return runQuery<port::GroupRecord>(session, spec, query, render);
    });
}

std::vector<port::CataloguedRole> GroupRepository::roleCatalogue() {
    return storeCall([&]() -> std::vector<port::CataloguedRole> {
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
            session
                << "SELECT DISTINCT u.user_name FROM tim_user_role ur JOIN tim_user u ON u.id = "
                   "ur.user_id "
                   "WHERE ur.role_key = ? AND u.deleted_ms IS NULL ORDER BY u.user_name",
                use(key), into(role.holders), now;
            roles.push_back(std::move(role));
        }
        return roles;
    });
}

bool GroupRepository::rolesCatalogued(const std::string& roleName) {
    return storeCall([&]() -> bool {
        Poco::Data::Session session = _database.session();
        Poco::Int64 count = 0;
        std::string key = scim::foldCase(roleName);
        session << "SELECT COUNT(*) FROM tim_role WHERE name_key = ? AND internal = 0", use(key),
            into(count), now;
        return count > 0;
    });
}

}  // namespace store
