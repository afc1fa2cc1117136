#include "SqlIdentityStore.h"

#include "store/engine/StoreFailures.h"

#include "store/engine/SqlSupport.h"

#include "scim/CaseFold.h"

#include <Poco/Timestamp.h>

namespace store {

using namespace Poco::Data::Keywords;

bool SqlIdentityStore::createSystemIdentityIfMissing(const std::string& name) {
    return storeCall([&]() -> bool {
        Poco::Data::Session session = _database.session();
        std::string id = newId();
        std::string userName = name;
        std::string key = scim::foldCase(name);
        std::string kind = "system";
        Poco::Int64 now = Poco::Timestamp().epochMicroseconds() / 1000;
        Poco::Data::Statement insert(session);
        insert << _database.dialect().insertSkippingExisting(
            "INSERT INTO tim_user (id, user_name, user_name_key, kind, active, created_ms, "
            "modified_ms) VALUES (?, ?, ?, ?, 1, ?, ?)",
            "id"),
            use(id), use(userName), use(key), use(kind), use(now), use(now);
        return insert.execute() > 0;
    });
}

}  // namespace store
