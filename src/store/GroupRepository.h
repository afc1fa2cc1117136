// SCIM groups in tim_group, their members as rows of tim_group_member, and the static roles
// that role.<name> groups grant (tim_user_role, source 'scim'), all changed in one
// transaction per request.
#pragma once

#include "Database.h"
#include "FilterSql.h"
#include "QueryRunner.h"
#include "port/AccountRules.h"
#include "port/GroupStore.h"

#include "scim/ResourceSchema.h"

#include <Poco/JSON/Object.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace store {

class GroupRepository final : public port::GroupStore {
  public:
    // `rules`: which role a group grants, the roles its members get, the restore after a
    // deletion in TIM.
    GroupRepository(Database& database, const port::AccountRules& rules)
        : _database(database), _rules(rules) {}

    port::GroupWriteResult createOrBind(
        const Poco::JSON::Object::Ptr& doc,
        const std::optional<std::vector<std::string>>& members) override;
    std::optional<port::GroupRecord> find(const std::string& id) override;
    std::vector<port::GroupMember> members(const std::string& groupId) override;
    port::GroupWriteResult replace(const std::string& id, const Poco::JSON::Object::Ptr& doc,
                                   const std::vector<std::string>& members,
                                   std::optional<Poco::Int64> expectedVersion) override;
    port::GroupWriteResult patch(const std::string& id, const port::ChangeGroup& change,
                                 const std::vector<port::MemberChange>& changes,
                                 std::optional<Poco::Int64> expectedVersion) override;
    bool remove(const std::string& id, std::optional<Poco::Int64> expectedVersion) override;
    port::GroupPage query(const port::GroupQuery& query, const port::RenderGroup& render) override;
    std::vector<port::CataloguedRole> roleCatalogue() override;
    bool rolesCatalogued(const std::string& roleName) override;

  private:
    // PATCH and PUT: `operation` names the write in the audit.
    port::GroupWriteResult write(const char* operation, const std::string& id,
                                 const port::ChangeGroup& change,
                                 const std::vector<port::MemberChange>& changes,
                                 std::optional<Poco::Int64> expectedVersion);

    struct Columns;
    Columns columnsOf(const Poco::JSON::Object::Ptr& doc) const;
    // The one UPDATE of a group's document and the columns it determines.
    static void updateGroup(Poco::Data::Session& session, const std::string& id,
                            const Columns& columns, const std::string& json, Poco::Int64 now);
    // `managed`: false for a group TIM keeps for itself.
    static void insertGroup(Poco::Data::Session& session, const std::string& id,
                            const Columns& columns, const std::string& json, bool managed);
    // Before group `record` is deleted through SCIM: moves the memberships of accounts out of
    // SCIM's reach to a new id, for the TIM group that keeps them; returns that id, or "".
    static std::string keepForHiddenMembers(Poco::Data::Session& session,
                                            const port::GroupRecord& record);

    Database& _database;
    const port::AccountRules& _rules;
};

const ColumnMap& groupColumns();

}  // namespace store
