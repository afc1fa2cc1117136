#include "SqlStatusReader.h"

#include "StoreFailures.h"

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

}  // namespace store
