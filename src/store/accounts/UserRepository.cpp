#include "UserRepository.h"

#include "store/engine/StoreFailures.h"

#include "Membership.h"
#include "UserRows.h"
#include "store/engine/PreparedStatements.h"
#include "store/query/QueryRunner.h"

#include "scim/UserSchemas.h"

#include <map>

namespace store {

namespace {

// Fills in the roles of `users` (one statement for all of them).
void readRoles(Poco::Data::Session& session, std::vector<port::UserRecord>& users) {
    if (users.empty()) {
        return;
    }
    std::vector<SqlParam> ids;
    std::map<std::string, port::UserRecord*> byId;
    for (auto& user : users) {
        ids.push_back(textParam(user.id));
        byId[user.id] = &user;
    }
    const auto in = keptInList(std::move(ids));
    const auto& rows = runPrepared(
        session,
        // No DISTINCT (MariaDB would build a temporary table for it on every read).
        "SELECT ur.user_id, r.name FROM tim_user_role ur JOIN tim_role r ON r.name_key = "
        "ur.role_key WHERE ur.user_id IN " +
            in.sql,
        in.params, {ColumnType::Text, ColumnType::Text});
    for (std::size_t i = 0; i < rows.rows(); ++i) {
        byId.at(rows.text(0)[i])->roles.push_back(rows.text(1)[i]);
    }
    for (auto& user : users) {
        sortDistinct(user.roles);
    }
}

// Users (with their roles) from a SELECT of kRecordColumns.
std::vector<port::UserRecord> readUsers(Poco::Data::Session& session, const std::string& sql,
                                        std::vector<SqlParam> params) {
    auto users = readRecords<port::UserRecord>(session, sql, std::move(params));
    readRoles(session, users);
    return users;
}

}  // namespace

std::optional<port::UserRecord> UserRepository::find(const std::string& id) {
    return storeCall([&]() -> std::optional<port::UserRecord> {
        Poco::Data::Session session = _database.session();
        auto records = readUser(session, id, Reach::InReachOnly);
        if (records.empty()) {
            return std::nullopt;
        }
        return std::move(records.front());
    });
}

std::map<std::string, std::string> UserRepository::displayNamesOf(
    const std::vector<std::string>& ids) {
    return storeCall([&]() -> std::map<std::string, std::string> {
        Poco::Data::Session session = _database.session();
        return displayNames(session, ids);
    });
}

port::UserPage UserRepository::query(const port::UserQuery& query, const port::RenderUser& render) {
    return storeCall([&]() -> port::UserPage {
        QuerySpec<port::UserRecord> spec;
        spec.alias = "u";
        spec.from = "tim_user u";
        spec.visible = visibleUser("u.");
        spec.visibleUnindexed = visibleUserUnindexed(_database.dialect(), "u.");
        spec.recordColumns = kUserRecordColumns;
        spec.columns = &userColumns();
        spec.schema = &scim::userResourceSchema();
        spec.read = readUsers;
        spec.readAtMostOne = [](Poco::Data::Session& session, const std::string& where,
                                std::vector<SqlParam> params) {
            return readUsersWithRoles(session, where, std::move(params), Reach::InReachOnly);
        };
        spec.visibleAtMostOne = personUnindexed(_database.dialect(), "u.");
        spec.countVisible = visibleUserCount(_database.dialect());
        spec.walkFrom = "tim_user u" + _database.dialect().seekWith("tim_user_reach_listing");
        // A filter no column answers renders each scanned user with its manager's name.
        spec.completeScanned = readManagers;
        Poco::Data::Session session = _database.session();
        return runQuery(session, spec, query, render);
    });
}

}  // namespace store
