#include "SqlSupport.h"

#include "port/StoreErrors.h"
#include "scim/Json.h"

#include <Poco/Data/Statement.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Timestamp.h>

#include <stdexcept>

namespace store {

using namespace Poco::Data::Keywords;

Poco::Int64 nowMs() {
    return Poco::Timestamp().epochMicroseconds() / 1000000 * 1000;
}

std::string holderOf(Poco::Data::Session session, const std::string& table,
                     const std::string& keyColumn, const std::string& key,
                     const std::string& shownOnly) {
    try {
        std::vector<std::string> ids;
        std::string value = key;
        session << "SELECT id FROM " + table + " WHERE " + keyColumn + " = ?" +
                       (shownOnly.empty() ? "" : " AND " + shownOnly),
            Poco::Data::Keywords::into(ids), Poco::Data::Keywords::use(value),
            Poco::Data::Keywords::now;
        return ids.empty() ? "" : ids.front();
    } catch (const Poco::Exception&) {
        return "";  // the conflict is still answered, without the holder
    }
}

Poco::JSON::Object::Ptr parseDocument(const std::string& text) {
    return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

void bindAll(Poco::Data::Statement& statement, std::vector<SqlParam>& params) {
    for (auto& p : params) {
        if (p.isNull) {
            statement, use(p.null);
        } else if (p.isNumber) {
            statement, use(p.number);
        } else {
            statement, use(p.text);
        }
    }
}

std::size_t executeOnce(Poco::Data::Session& session, const std::string& sql,
                        std::vector<SqlParam> params) {
    Poco::Data::Statement statement(session);
    statement << sql;
    bindAll(statement, params);
    return statement.execute();
}

const std::string& protectedRoleHolders() {
    static const std::string sql =
        "SELECT pr.user_id FROM tim_user_role pr JOIN tim_role prr ON prr.name_key = "
        "pr.role_key WHERE prr.internal = 1 AND pr.source <> 'scim'";
    return sql;
}

const std::string& outOfReachUser() {
    static const std::string sql =
        "(o.kind <> 'person' OR (o.managed = 0 AND o.id IN (" + protectedRoleHolders() + ")))";
    return sql;
}

std::string outOfReachAccount(const std::string& idColumn) {
    return "EXISTS (SELECT 1 FROM tim_user o WHERE o.id = " + idColumn + " AND " +
           outOfReachUser() + ")";
}

std::string person(const std::string& prefix) {
    return prefix + "kind = 'person' AND " + prefix + "deleted_ms IS NULL";
}

namespace {

std::string idOf(const std::string& prefix) {
    return prefix.empty() ? "tim_user.id" : prefix + "id";
}

// Managed, or out of TIM's protection.
std::string inReach(const std::string& prefix) {
    // Uncorrelated: the holders are a small set, built once per statement.
    return "(" + prefix + "managed = 1 OR " + idOf(prefix) + " NOT IN (" + protectedRoleHolders() +
           "))";
}

}  // namespace

std::string visibleUser(const std::string& prefix) {
    return person(prefix) + " AND " + inReach(prefix);
}

std::string personUnindexed(const SqlDialect& dialect, const std::string& prefix) {
    return dialect.unindexed(prefix + "kind") + " = 'person' AND " +
           dialect.unindexed(prefix + "deleted_ms") + " IS NULL";
}

std::string visibleUserCount(const SqlDialect& dialect) {
    // From the few protected roles to their holders, never over the listing index.
    return "SELECT CAST((SELECT COALESCE(SUM(n), 0) FROM scim_count WHERE resource = 'person') - "
           "(SELECT COUNT(DISTINCT o.id) FROM tim_role prr JOIN tim_user_role pr ON pr.role_key = "
           "prr.name_key JOIN tim_user o ON o.id = pr.user_id WHERE prr.internal = 1 AND " +
           personUnindexed(dialect, "o.") + " AND o.managed = 0) AS SIGNED)";
}

std::string visibleUserUnindexed(const SqlDialect& dialect, const std::string& prefix) {
    return personUnindexed(dialect, prefix) + " AND " + inReach(prefix);
}

std::string placeholders(std::size_t n) {
    std::string text = "(";
    for (std::size_t i = 0; i < n; ++i) {
        text += i ? ", ?" : "?";
    }
    return text + ")";
}

std::vector<ColumnType> recordColumnTypes(std::vector<ColumnType> more) {
    std::vector<ColumnType> types{ColumnType::Text, ColumnType::Text, ColumnType::Integer,
                                  ColumnType::Integer, ColumnType::Integer};
    types.insert(types.end(), more.begin(), more.end());
    return types;
}

std::size_t keptLength(std::size_t n) {
    std::size_t length = 1;
    while (length < n) {
        length *= 2;
    }
    return length;
}

InList keptInList(std::vector<SqlParam> values) {
    if (values.empty()) {
        throw std::logic_error("An IN list needs a value");  // "IN ()" is no SQL
    }
    const std::size_t size = keptLength(values.size());
    values.resize(size, values.back());
    return {placeholders(size), std::move(values)};
}

std::vector<SqlParam> texts(const std::vector<std::string>& values) {
    std::vector<SqlParam> params;
    for (const auto& v : values) {
        params.push_back(textParam(v));
    }
    return params;
}

std::string rowsOf(std::size_t n, const std::string& row) {
    std::string values;
    values.reserve(n * (row.size() + 2));
    for (std::size_t i = 0; i < n; ++i) {
        values += i == 0 ? row : ", " + row;
    }
    return values;
}

std::vector<std::string> selectIds(Poco::Data::Session& session, const std::string& sql,
                                   std::vector<SqlParam> params) {
    std::vector<std::string> ids;
    Poco::Data::Statement select(session);
    select << sql;
    bindAll(select, params);
    select, into(ids);
    select.execute();
    return ids;
}

}  // namespace store
