#include "SqlStatusReader.h"

#include "store/engine/StoreFailures.h"

#include <Poco/Nullable.h>

namespace store {

port::ProvisioningCounts SqlStatusReader::counts() {
    return storeCall([&]() -> port::ProvisioningCounts {
        Poco::Data::Session session = _database.session();
        const auto count = [&session](const char* sql) {
            Poco::Int64 n = 0;
            session << sql, Poco::Data::Keywords::into(n), Poco::Data::Keywords::now;
            return n;
        };
        port::ProvisioningCounts counts;
        counts.activeUsers = count(
            "SELECT COUNT(*) FROM tim_user WHERE kind = 'person' AND deleted_ms IS NULL AND active "
            "= "
            "1");
        counts.disabledUsers = count(
            "SELECT COUNT(*) FROM tim_user WHERE kind = 'person' AND deleted_ms IS NULL AND active "
            "= "
            "0");
        counts.deletedUsers =
            count("SELECT COUNT(*) FROM tim_user WHERE kind = 'person' AND deleted_ms IS NOT NULL");
        counts.groups = count("SELECT COUNT(*) FROM tim_group");
        counts.roleGroups = count("SELECT COUNT(*) FROM tim_group WHERE role_key IS NOT NULL");
        counts.liveTokens = count("SELECT COUNT(*) FROM scim_token WHERE revoked_ms IS NULL");
        counts.unlabelledProvisioningTokens = count(
            "SELECT COUNT(*) FROM scim_token WHERE revoked_ms IS NULL AND label = '' AND "
            "scope = 'provisioning'");
        return counts;
    });
}

std::vector<port::LiveToken> SqlStatusReader::liveTokens(std::size_t most) {
    return storeCall([&]() -> std::vector<port::LiveToken> {
        Poco::Data::Session session = _database.session();
        std::vector<std::string> jtis;
        std::vector<std::string> labels;
        std::vector<std::string> scopes;
        std::vector<Poco::Int64> expires;
        Poco::Data::Statement select(session);
        select << "SELECT jti, label, scope, expires_ms FROM scim_token WHERE revoked_ms IS NULL "
                  "ORDER BY expires_ms, jti",
            Poco::Data::Keywords::into(jtis), Poco::Data::Keywords::into(labels),
            Poco::Data::Keywords::into(scopes), Poco::Data::Keywords::into(expires),
            Poco::Data::Keywords::limit(most);
        select.execute();
        std::vector<port::LiveToken> tokens;
        for (std::size_t i = 0; i < jtis.size(); ++i) {
            tokens.push_back({jtis[i], labels[i], scopes[i], expires[i]});
        }
        return tokens;
    });
}

}  // namespace store
