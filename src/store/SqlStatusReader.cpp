#include "SqlStatusReader.h"

#include "StoreFailures.h"

#include <Poco/Nullable.h>

namespace store {

port::ProvisioningCounts SqlStatusReader::counts() try {
    Poco::Data::Session session = _database.session();
    const auto count = [&session](const char* sql) {
        Poco::Int64 n = 0;
        session << sql, Poco::Data::Keywords::into(n), Poco::Data::Keywords::now;
        return n;
    };
    port::ProvisioningCounts counts;
    counts.activeUsers = count(
        "SELECT COUNT(*) FROM tim_user WHERE kind = 'person' AND deleted_ms IS NULL AND active = "
        "1");
    counts.disabledUsers = count(
        "SELECT COUNT(*) FROM tim_user WHERE kind = 'person' AND deleted_ms IS NULL AND active = "
        "0");
    counts.deletedUsers =
        count("SELECT COUNT(*) FROM tim_user WHERE kind = 'person' AND deleted_ms IS NOT NULL");
    counts.groups = count("SELECT COUNT(*) FROM tim_group");
    counts.roleGroups = count("SELECT COUNT(*) FROM tim_group WHERE role_key IS NOT NULL");
    counts.liveTokens = count("SELECT COUNT(*) FROM scim_token WHERE revoked_ms IS NULL");
    return counts;
} catch (...) {
    rethrowAsStoreError();
}

std::optional<Poco::Int64> SqlStatusReader::latestTokenExpiryMs() try {
    Poco::Data::Session session = _database.session();
    Poco::Nullable<Poco::Int64> latest;
    // Entra's token: a metrics token expiring later must not hide it.
    session << "SELECT MAX(expires_ms) FROM scim_token WHERE revoked_ms IS NULL AND scope = "
               "'provisioning'",
        Poco::Data::Keywords::into(latest), Poco::Data::Keywords::now;
    return latest.isNull() ? std::nullopt : std::optional<Poco::Int64>(latest.value());
} catch (...) {
    rethrowAsStoreError();
}

}  // namespace store
