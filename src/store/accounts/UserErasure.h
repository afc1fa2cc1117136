// The one home of a user's final deletion: the row, its memberships and its role assignments,
// with a 'purge' audit row each, in the caller's transaction. The purge erases users past
// their retention; a create erases the deleted user whose userName it takes.
#pragma once

#include <Poco/Data/Session.h>
#include <Poco/Nullable.h>

#include <cstddef>
#include <string>
#include <vector>

namespace store {

struct ErasedUser {
    std::string id;
    Poco::Nullable<std::string> externalId;  // for the audit
};

struct Erasure {
    std::size_t users = 0;
    std::size_t memberships = 0;
    std::size_t roleAssignments = 0;
};

// `why`: the audit rows' outcome ("applied" for the purge's retention).
Erasure eraseUsers(Poco::Data::Session& session, const std::vector<ErasedUser>& users,
                   const std::string& why);

}  // namespace store
