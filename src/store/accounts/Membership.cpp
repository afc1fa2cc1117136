#include "Membership.h"

#include "store/engine/SqlSupport.h"

#include <Poco/Data/Statement.h>

#include <set>

namespace store {

using namespace Poco::Data::Keywords;

// The members a group has now.
std::vector<std::string> memberIds(Poco::Data::Session& session, const std::string& groupId) {
    return selectIds(session, "SELECT member_id FROM tim_group_member WHERE group_id = ?",
                     {textParam(groupId)});
}

// Adds the members that exist (users SCIM shows, or groups); returns the ids ignored.
std::vector<std::string> addMembers(Poco::Data::Session& session, const SqlDialect& dialect,
                                    const std::string& groupId, const std::vector<std::string>& ids,
                                    std::size_t* added) {
    std::set<std::string> unique(ids.begin(), ids.end());
    unique.erase(groupId);
    const std::vector<std::string> wanted(unique.begin(), unique.end());
    std::vector<std::pair<std::string, std::string>> found;
    inChunks(wanted, [&](const std::vector<std::string>& chunk) {
        for (const auto& id :
             selectIds(session,
                       "SELECT id FROM tim_user WHERE " + visibleUserUnindexed(dialect, "") +
                           " AND id IN " + placeholders(chunk.size()),
                       texts(chunk))) {
            found.emplace_back(id, "User");
        }
        for (const auto& id : selectIds(
                 session, "SELECT id FROM tim_group WHERE id IN " + placeholders(chunk.size()),
                 texts(chunk))) {
            found.emplace_back(id, "Group");
        }
    });
    inChunks(found, [&](const std::vector<std::pair<std::string, std::string>>& chunk) {
        std::vector<SqlParam> params;
        for (const auto& member : chunk) {
            params.push_back(textParam(groupId));
            params.push_back(textParam(member.first));
            params.push_back(textParam(member.second));
        }
        Poco::Data::Statement insert(session);
        insert << dialect.insertSkippingExisting(
            "INSERT INTO tim_group_member (group_id, member_id, member_type) VALUES " +
                rowsOf(chunk.size(), "(?, ?, ?)"),
            "group_id");
        bindAll(insert, params);
        const std::size_t inserted = insert.execute();  // the new ones
        if (added != nullptr) {
            *added += inserted;
        }
    });
    std::set<std::string> present;
    for (const auto& f : found) {
        present.insert(f.first);
    }
    std::vector<std::string> ignored;
    for (const auto& id : wanted) {
        if (!present.count(id)) {
            ignored.push_back(id);
        }
    }
    return ignored;
}

}  // namespace store
