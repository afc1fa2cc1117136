// SCIM groups in tim_group, their members as rows of tim_group_member, and the static roles
// that role.<name> groups grant (tim_user_role, source 'scim'), all changed in one
// transaction per request.
#pragma once

#include "AccountRules.h"
#include "Database.h"
#include "FilterSql.h"
#include "QueryRunner.h"

#include "scim/ResourceSchema.h"

#include <Poco/JSON/Object.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace store {

struct GroupRecord {
    std::string id;
    Poco::JSON::Object::Ptr doc;  // normalised, without members
    Poco::Int64 version = 1;
    Poco::Int64 createdMs = 0;
    Poco::Int64 modifiedMs = 0;
};

struct GroupMember {
    std::string id;
    std::string type;     // "User" or "Group"
    std::string display;  // userName or group displayName
};

// A change to a group's membership.
struct MemberChange {
    enum class Kind { Add, Remove, RemoveAll, ReplaceAll };
    Kind kind = Kind::Add;
    std::vector<std::string> ids;
};

struct GroupWriteResult {
    GroupRecord record;
    bool bound = false;
    std::string restored;                     // what the restore after a TIM deletion did
    std::vector<std::string> ignoredMembers;  // ids that are neither users nor groups
};

using GroupQuery = ResourceQuery;
using GroupPage = Page<GroupRecord>;

// Renders a group for filters no column answers; members only when the filter needs them.
using RenderGroup = std::function<Poco::JSON::Object::Ptr(const GroupRecord&, bool withMembers)>;

class GroupRepository {
  public:
    // `rules`: which role a group grants, the roles its members get, the restore after a
    // deletion in TIM.
    GroupRepository(Database& database, const AccountRules& rules)
        : _database(database), _rules(rules) {}

    // Creates the group, or binds to a group TIM created itself (unmanaged) with the same
    // displayName (guide FAQ 4). `members`: the member ids sent, if any. Throws ScimError 409.
    GroupWriteResult createOrBind(const Poco::JSON::Object::Ptr& doc,
                                  const std::optional<std::vector<std::string>>& members);

    std::optional<GroupRecord> find(const std::string& id);
    std::vector<GroupMember> members(const std::string& groupId);

    // PUT: the document and the whole membership. Throws ScimError 404, 409, 412.
    GroupWriteResult replace(const std::string& id, const Poco::JSON::Object::Ptr& doc,
                             const std::vector<std::string>& members,
                             std::optional<Poco::Int64> expectedVersion);

    // PATCH: `change` maps the document (nullptr: leave it), `changes` edit the membership.
    GroupWriteResult patch(
        const std::string& id,
        const std::function<Poco::JSON::Object::Ptr(const Poco::JSON::Object::Ptr&)>& change,
        const std::vector<MemberChange>& changes, std::optional<Poco::Int64> expectedVersion);

    // Deletes the group and its memberships and recomputes the roles it granted.
    bool remove(const std::string& id, std::optional<Poco::Int64> expectedVersion);

    GroupPage query(const GroupQuery& query, const RenderGroup& render);

    // The catalogue, one line per role: "name  [internal]  holder, holder, ...".
    std::string describeRoles();

    // Whether SCIM may grant `roleName` (known to TIM and not internal).
    bool rolesCatalogued(const std::string& roleName);

    // Adds roles to the catalogue (or marks them internal); returns nothing new it knew.
    void syncRoleCatalogue(const std::vector<std::string>& known,
                           const std::vector<std::string>& internal);

  private:
    // PATCH and PUT: `operation` names the write in the audit.
    GroupWriteResult write(
        const char* operation, const std::string& id,
        const std::function<Poco::JSON::Object::Ptr(const Poco::JSON::Object::Ptr&)>& change,
        const std::vector<MemberChange>& changes, std::optional<Poco::Int64> expectedVersion);

    struct Columns;
    Columns columnsOf(const Poco::JSON::Object::Ptr& doc) const;
    // The one UPDATE of a group's document and the columns it determines.
    static void updateGroup(Poco::Data::Session& session, const std::string& id,
                            const Columns& columns, const std::string& json, Poco::Int64 now);

    Database& _database;
    const AccountRules& _rules;
};

const ColumnMap& groupColumns();

}  // namespace store
