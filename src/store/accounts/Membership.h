// Membership rows: what groups, TIM-side deletions and their restoration all change the same
// way.
#pragma once

#include "store/engine/SqlDialect.h"
#include "store/query/FilterSql.h"

#include <Poco/Data/Session.h>

#include <string>
#include <vector>

namespace store {

// ids per multi-row statement
inline constexpr std::size_t kChunk = 300;

std::vector<SqlParam> texts(const std::vector<std::string>& values);

// Calls fn with consecutive slices of at most kChunk items (ids, or rows to insert).
template <typename T, typename Fn>
void inChunks(const std::vector<T>& items, Fn&& fn) {
    for (std::size_t start = 0; start < items.size(); start += kChunk) {
        const auto end = std::min(items.size(), start + kChunk);
        const std::vector<T> chunk(items.begin() + static_cast<long>(start),
                                   items.begin() + static_cast<long>(end));
        fn(chunk);
    }
}

// The VALUES list of a multi-row INSERT: `row` (such as "(?, ?)") n times, comma-separated.
std::string rowsOf(std::size_t n, const std::string& row);

// The first column of every row of a SELECT.
std::vector<std::string> selectIds(Poco::Data::Session& session, const std::string& sql,
                                   std::vector<SqlParam> params);

// The members a group has now (rows, whatever their state).
std::vector<std::string> memberIds(Poco::Data::Session& session, const std::string& groupId);

// Adds the members that exist (users SCIM shows, or groups) in multi-row statements;
// returns the ids it ignored. `added`, if given, counts the memberships that were new.
std::vector<std::string> addMembers(Poco::Data::Session& session, const SqlDialect& dialect,
                                    const std::string& groupId, const std::vector<std::string>& ids,
                                    std::size_t* added = nullptr);

}  // namespace store
