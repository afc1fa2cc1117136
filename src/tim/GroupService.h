// TIM's use cases on the groups SCIM provisions: create or bind, replace, patch and delete (by
// SCIM, and by TIM itself), each one transaction of port::AccountTransactions that also grants
// and revokes the roles the change moves. The reads go to the store as they are.
#pragma once

#include "AccountService.h"

#include "port/AccountTransactions.h"
#include "port/GroupStore.h"

#include <optional>
#include <string>
#include <vector>

namespace tim {

class GroupService final : public port::GroupStore {
  public:
    GroupService(port::AccountTransactions& transactions, port::GroupReads& reads,
                 const AccountService& rules)
        : _transactions(transactions), _reads(reads), _rules(rules) {}

    port::GroupWriteResult createOrBind(
        const Poco::JSON::Object::Ptr& doc,
        const std::optional<std::vector<std::string>>& members) override;
    port::GroupWriteResult replace(const std::string& id, const Poco::JSON::Object::Ptr& doc,
                                   const std::vector<std::string>& members,
                                   std::optional<Poco::Int64> expectedVersion) override;
    port::GroupWriteResult patch(const std::string& id, const port::ChangeGroup& change,
                                 const std::vector<port::MemberChange>& changes,
                                 std::optional<Poco::Int64> expectedVersion) override;
    // Accounts out of SCIM's reach that TIM put in the group keep it: the SCIM resource goes
    // (404 from now on), and an unmanaged TIM group of that name stays for them, so that a later
    // create of the name binds to it.
    bool remove(const std::string& id, std::optional<Poco::Int64> expectedVersion) override;

    // A deletion in TIM (its UI; the scim.group.delete command): the members are kept for the
    // group's re-creation by the same externalId (AccountService::restore). False when there is
    // no such group.
    bool deleteInTim(const std::string& id);

    std::optional<port::GroupRecord> find(const std::string& id) override;
    std::vector<port::GroupMember> members(const std::string& groupId) override;
    port::GroupPage query(const port::GroupQuery& query, bool withMembers,
                          const port::RenderGroup& render) override;
    std::vector<port::CataloguedRole> roleCatalogue() override;
    bool rolesCatalogued(const std::string& roleName) override;

  private:
    // PUT and PATCH: `operation` names the write in the audit.
    port::GroupWriteResult write(const char* operation, const std::string& id,
                                 const port::ChangeGroup& change,
                                 const std::vector<port::MemberChange>& changes,
                                 std::optional<Poco::Int64> expectedVersion);
    // The columns a group document determines, the role it grants among them (no text).
    port::GroupRow columnsOf(const Poco::JSON::Object::Ptr& doc) const;
    // The same with the document as it is to be stored: TooLarge beyond the limit.
    port::GroupRow rowOf(const Poco::JSON::Object::Ptr& doc) const;
    // Deletes the group and gives its former members the roles they hold without it.
    void deleteGroup(port::AccountTransaction& tx, const std::string& id) const;

    port::AccountTransactions& _transactions;
    port::GroupReads& _reads;
    const AccountService& _rules;
};

}  // namespace tim
