#include "AccountService.h"

#include "Credentials.h"
#include "PasswordPolicy.h"
#include "Passwords.h"
#include "Roles.h"

namespace tim {

port::BindDecision AccountService::bind(const std::vector<port::AccountCandidate>& candidates,
                                        const std::optional<std::string>& externalId) const {
    return decideBinding(_settings.binding, candidates, externalId);
}

PasswordRefusal AccountService::passwordRefusal(const port::CredentialStanding& account) const {
    return passwordRefusalFor(account);
}

std::optional<std::string> AccountService::roleOf(const std::string& groupDisplayName) const {
    return roleNameOf(groupDisplayName);
}

port::PasswordChange AccountService::password(AccountEvent event,
                                              const std::optional<std::string>& clientHash) const {
    return passwordChangeOn(event, clientHash, _settings.defaultPasswordHash);
}

std::string AccountService::hashPassword(const std::string& clear) const {
    std::string hash = tim::hashPassword(clear);
    _settings.hashed();
    return hash;
}

GrantTally AccountService::grantRoles(port::AccountTransaction& work,
                                      const std::vector<std::string>& accountIds) const {
    return tim::grantRoles(work, accountIds, _settings.roleReach);
}

bool AccountService::rolesReachNestedGroups() const {
    return _settings.roleReach == RoleReach::Nested;
}

std::string AccountService::restore(port::AccountTransaction& work,
                                    const port::CreatedAccount& created) const {
    // Only the same directory object comes back: a new account that merely reuses a name gets
    // nothing of the deleted one's.
    if (created.externalId.isNull()) {
        return "";
    }
    const Poco::Int64 notBeforeMs =
        _settings.snapshotRetention.before(_settings.now()).epochMicroseconds() / 1000;
    const auto snapshot = work.takeSnapshot(created, notBeforeMs);
    if (!snapshot) {
        return "";
    }
    if (created.kind == port::AccountKind::User) {
        const std::size_t groups = work.joinGroups(created.id, *snapshot);
        grantRoles(work, {created.id});
        return "restored " + std::to_string(groups) +
               " membership(s) and the roles their role groups grant, from a deletion in TIM";
    }
    const std::size_t members = work.addMembers(created.id, *snapshot);
    grantRoles(work, *snapshot);
    return "restored " + std::to_string(members) + " member(s) from a deletion in TIM";
}

}  // namespace tim
