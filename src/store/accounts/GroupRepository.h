// Reads of the SCIM groups in tim_group, their members (rows of tim_group_member) and TIM's
// role catalogue. Their writes are src/tim's use cases (tim/GroupService.h) over
// port::AccountTransaction.
#pragma once

#include "port/GroupStore.h"
#include "store/engine/Database.h"
#include "store/query/FilterSql.h"
#include "store/query/QueryRunner.h"

#include "scim/ResourceSchema.h"

#include <Poco/JSON/Object.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace store {

class GroupRepository final : public port::GroupReads {
  public:
    explicit GroupRepository(Database& database) : _database(database) {}

    std::optional<port::GroupRecord> find(const std::string& id) override;
    std::vector<port::GroupMember> members(const std::string& groupId) override;
    port::GroupPage query(const port::GroupQuery& query, bool withMembers,
                          const port::RenderGroup& render) override;
    std::vector<port::CataloguedRole> roleCatalogue() override;
    bool rolesCatalogued(const std::string& roleName) override;

  private:
    Database& _database;
};

const ColumnMap& groupColumns();

// Groups a scan whose filter looks at members holds with their members at once: 25 groups of
// 10,000 members are 250,000 rows, a scan's usual batch (kScanBatch) would be 5,000,000.
inline constexpr std::size_t kMemberScanBatch = 25;

}  // namespace store
