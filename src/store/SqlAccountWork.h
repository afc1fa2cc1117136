// The unit of work TIM's account rules run in: the open transaction of one of the store's
// writes, seen through the port::AccountWork port.
#pragma once

#include "SqlDialect.h"
#include "port/AccountWork.h"

#include <Poco/Data/Session.h>

namespace store {

class SqlAccountWork final : public port::AccountWork {
  public:
    // `session` has the write's transaction open.
    SqlAccountWork(Poco::Data::Session& session, const SqlDialect& dialect)
        : _session(session), _dialect(dialect) {}

    std::set<std::string> outOfReach(const std::vector<std::string>& accountIds) override;
    std::vector<port::RoleOffer> roleOffers(const std::vector<std::string>& userIds) override;
    std::vector<port::Membership> membersOf(const std::vector<std::string>& groupIds) override;
    std::vector<port::Membership> groupsOf(const std::vector<std::string>& memberIds) override;
    std::vector<port::GroupRole> groupRoles(const std::vector<std::string>& groupIds) override;
    std::set<port::RoleGrant> scimGrants(const std::vector<std::string>& userIds) override;
    void changeGrants(const std::set<port::RoleGrant>& grants,
                      const std::set<port::RoleGrant>& revocations) override;
    std::optional<std::vector<std::string>> takeSnapshot(const port::CreatedAccount& created,
                                                         Poco::Int64 notBeforeMs) override;
    std::size_t addMembers(const std::string& groupId,
                           const std::vector<std::string>& memberIds) override;
    std::size_t joinGroups(const std::string& userId,
                           const std::vector<std::string>& groupIds) override;

  private:
    Poco::Data::Session& _session;
    const SqlDialect& _dialect;
};

}  // namespace store
