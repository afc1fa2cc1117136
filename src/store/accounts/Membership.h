// Membership rows: what groups, TIM-side deletions and their restoration all change the same
// way.
#pragma once

#include "store/engine/SqlDialect.h"
#include "store/engine/SqlSupport.h"
#include "store/query/FilterSql.h"

#include <Poco/Data/Session.h>

#include <string>
#include <vector>

namespace store {

// The members a group has now (rows, whatever their state).
std::vector<std::string> memberIds(Poco::Data::Session& session, const std::string& groupId);

// Adds the members that exist (users SCIM shows, or groups) in multi-row statements;
// returns the ids it ignored. `added`, if given, counts the memberships that were new.
std::vector<std::string> addMembers(Poco::Data::Session& session, const SqlDialect& dialect,
                                    const std::string& groupId, const std::vector<std::string>& ids,
                                    std::size_t* added = nullptr);

}  // namespace store
