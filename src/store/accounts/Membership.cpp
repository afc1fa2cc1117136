#include "Membership.h"

#include "store/engine/SqlSupport.h"

#include <algorithm>
#include <set>

namespace store {

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
        // Users and groups in one statement (an id is never both).
        const auto in = keptInList(texts(chunk));
        std::vector<SqlParam> params = in.params;
        params.insert(params.end(), in.params.begin(), in.params.end());
        const auto& rows =
            runPrepared(session,
                        "SELECT id, 'User' FROM tim_user WHERE " +
                            visibleUserUnindexed(dialect, "") + " AND id IN " + in.sql +
                            " UNION ALL SELECT id, 'Group' FROM tim_group WHERE id IN " + in.sql,
                        params, {ColumnType::Text, ColumnType::Text});
        for (std::size_t i = 0; i < rows.rows(); ++i) {
            found.emplace_back(rows.text(0)[i], rows.text(1)[i]);
        }
    });
    inChunks(found, [&](const std::vector<std::pair<std::string, std::string>>& chunk) {
        // Padded to a kept length by repeating the last row, which the insert skips as existing.
        const std::size_t rows = keptLength(chunk.size());
        std::vector<SqlParam> params;
        for (std::size_t i = 0; i < rows; ++i) {
            const auto& member = chunk[std::min(i, chunk.size() - 1)];
            params.push_back(textParam(groupId));
            params.push_back(textParam(member.first));
            params.push_back(textParam(member.second));
        }
        const std::size_t inserted =  // the new ones
            runPrepared(session,
                        dialect.insertSkippingExisting(
                            "INSERT INTO tim_group_member (group_id, member_id, member_type) "
                            "VALUES " +
                                rowsOf(rows, "(?, ?, ?)"),
                            "group_id"),
                        params)
                .changed();
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
