// port::AccountTransaction on an open write transaction of a pooled session.
#pragma once

#include "GroupRows.h"
#include "UserRows.h"
#include "port/AccountTransaction.h"
#include "store/engine/SqlDialect.h"

#include <Poco/Data/Session.h>

namespace store {

class SqlAccountTransaction final : public port::AccountTransaction {
  public:
    // `session` has the write's transaction open.
    SqlAccountTransaction(Poco::Data::Session& session, const SqlDialect& dialect)
        : _session(session),
          _dialect(dialect),
          _groups(session, dialect),
          _users(session, dialect) {}

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

    std::vector<port::RoleListing> roleListings() override;
    void addRoleListing(const port::RoleListing& listing) override;
    void changeRoleListing(const std::string& key, bool internal) override;
    void removeRoleListing(const std::string& key) override;
    std::optional<bool> catalogueStanding(const std::string& key) override;
    void setCatalogueRole(const std::string& key, const std::string& name, bool internal) override;
    void setCatalogueStanding(const std::string& key, bool internal) override;
    void removeCatalogueRole(const std::string& key) override;
    std::vector<std::string> roleGrantHolders() override;
    std::optional<port::LockedGroup> lockGroup(const std::string& id) override;
    std::optional<port::NamedGroup> lockGroupNamed(const std::string& displayNameKey) override;
    port::GroupRecord readGroup(const std::string& id) override;
    void insertGroup(const std::string& id, const port::GroupRow& row, bool managed) override;
    Poco::Int64 updateGroup(const std::string& id, const port::GroupRow& row) override;
    port::AppliedMemberChanges changeMembers(
        const std::string& groupId, const std::vector<port::MemberChange>& changes) override;
    std::size_t moveOutOfReachMembers(const std::string& fromGroupId,
                                      const std::string& toGroupId) override;
    std::vector<std::string> deleteGroup(const std::string& groupId) override;
    void saveSnapshot(const port::CreatedAccount& deleted,
                      const std::vector<std::string>& ids) override;
    void recordAudit(const port::AuditEvent& event) override;
    std::vector<port::AccountCandidate> userCandidates(const port::UserColumns& columns) override;
    void lockCandidate(const port::AccountCandidate& candidate) override;
    void eraseUser(const std::string& id, const Poco::Nullable<std::string>& externalId,
                   const std::string& why) override;
    Poco::Int64 insertUser(const std::string& id, const port::UserRow& row,
                           const port::PasswordChange& password, bool byScim) override;
    bool updateUser(const std::string& id, const port::UserRow& row,
                    const port::UserWrite& write) override;
    std::optional<port::LockedUser> lockUser(const std::string& id) override;
    port::CredentialStanding credentialStanding(const std::string& id) override;
    void refuseTakenUserName(const port::UserColumns& columns, const std::string& id) override;
    port::UserRecord readUser(const std::string& id) override;
    void readManager(port::UserRecord& record) override;
    Poco::Nullable<std::string> markUserDeleted(const std::string& id) override;
    void grantTimRole(const std::string& userId, const std::string& roleKey) override;
    void discard() override { _discarded = true; }
    bool discarded() const { return _discarded; }
    bool hasMark(const std::string& name) override;
    void setMark(const std::string& name) override;
    void clearMark(const std::string& name) override;

  private:
    Poco::Data::Session& _session;
    const SqlDialect& _dialect;
    GroupRows _groups;
    UserRows _users;
    bool _discarded = false;
};

}  // namespace store
