// A group's rows (tim_group and its tim_group_member rows) on a session: what the group reads
// and the account transaction's group writes share.
#pragma once

#include "port/AccountTransaction.h"
#include "port/GroupStore.h"
#include "store/engine/SqlDialect.h"

#include <Poco/Data/Session.h>

#include <optional>
#include <string>
#include <vector>

namespace store {

// The columns of a whole group record, from tim_group as "g".
inline constexpr const char* kGroupRecordColumns =
    "g.id, g.doc, g.version, g.created_ms, g.modified_ms";

std::optional<port::GroupRecord> findGroup(Poco::Data::Session& session, const std::string& id);

// The members group `groupId` has that SCIM shows: deleted users stop being listed, disabled
// ones stay members.
std::vector<port::GroupMember> listMembers(Poco::Data::Session& session,
                                           const std::string& groupId);

// Sets the members of each of `groups`, in one statement per kChunk groups.
void readMembers(Poco::Data::Session& session, std::vector<port::GroupRecord>& groups);

// port::AccountTransaction's group section, in the caller's transaction.
class GroupRows {
  public:
    GroupRows(Poco::Data::Session& session, const SqlDialect& dialect)
        : _session(session), _dialect(dialect) {}

    std::optional<port::LockedGroup> lock(const std::string& id);
    std::optional<port::NamedGroup> lockNamed(const std::string& displayNameKey);
    port::GroupRecord read(const std::string& id);
    void insert(const std::string& id, const port::GroupRow& row, bool managed);
    // Returns the modified time it wrote (ms).
    Poco::Int64 update(const std::string& id, const port::GroupRow& row);
    port::AppliedMemberChanges changeMembers(const std::string& groupId,
                                             const std::vector<port::MemberChange>& changes);
    std::size_t moveOutOfReachMembers(const std::string& fromGroupId, const std::string& toGroupId);
    std::vector<std::string> remove(const std::string& groupId);

  private:
    Poco::Data::Session& _session;
    const SqlDialect& _dialect;
};

}  // namespace store
