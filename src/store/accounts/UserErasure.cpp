#include "UserErasure.h"

#include "AuditTrail.h"
#include "store/engine/SqlSupport.h"

namespace store {

Erasure eraseUsers(Poco::Data::Session& session, const std::vector<ErasedUser>& users,
                   const std::string& why) {
    Erasure erased;
    if (users.empty()) {
        return erased;
    }
    std::vector<SqlParam> ids;
    for (const auto& user : users) {
        ids.push_back(textParam(user.id));
    }
    const std::string in = placeholders(users.size());
    erased.memberships =
        executeOnce(session, "DELETE FROM tim_group_member WHERE member_id IN " + in, ids);
    erased.roleAssignments =
        executeOnce(session, "DELETE FROM tim_user_role WHERE user_id IN " + in, ids);
    erased.users = executeOnce(session, "DELETE FROM tim_user WHERE id IN " + in, ids);
    for (const auto& user : users) {
        recordAudit(session, {"purge", "User", user.id, user.externalId, {}, why});
    }
    return erased;
}

}  // namespace store
