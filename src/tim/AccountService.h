// TIM's rules for the accounts SCIM writes, in one place: binding (tim/Binding.h), passwords
// (tim/PasswordPolicy.h, tim/Credentials.h), the roles role groups grant (tim/RoleGrants.h) and the
// restore after a deletion in TIM. The store's account writes call them through
// port/AccountRules.h; src/tim's own use cases (tim/RoleCatalogue.h) call them directly.
#pragma once

#include "Binding.h"
#include "Duration.h"
#include "RoleGrants.h"

#include "port/AccountRules.h"

#include <Poco/Timestamp.h>

#include <functional>
#include <string>

namespace tim {

struct AccountSettings {
    BindingMode binding = BindingMode::UserNameOrEmail;
    // The salted hash of initpass-x-others, "" when none is configured.
    std::string defaultPasswordHash;
    // How long a deletion in TIM is remembered for the account's re-creation.
    Duration snapshotRetention{30, 'd'};
    RoleReach roleReach = RoleReach::Direct;
    std::function<Poco::Timestamp()> now = [] { return Poco::Timestamp(); };
    // Told of every password hashed for a client (each costs a deliberately slow PBKDF2).
    std::function<void()> hashed = [] {};
};

class AccountService final : public port::AccountRules {
  public:
    explicit AccountService(AccountSettings settings) : _settings(std::move(settings)) {}

    port::BindDecision bind(const std::vector<port::AccountCandidate>& candidates,
                            const std::optional<std::string>& externalId) const override;
    port::PasswordRefusal passwordRefusal(const port::CredentialStanding& account) const override;
    std::optional<std::string> roleOf(const std::string& groupDisplayName) const override;
    port::PasswordChange password(port::AccountEvent event,
                                  const std::optional<std::string>& clientHash) const override;
    std::string hashPassword(const std::string& clear) const override;
    port::GrantTally grantRoles(port::AccountTransaction& work,
                                const std::vector<std::string>& accountIds) const override;
    bool rolesReachNestedGroups() const override;
    // Memberships come back (into groups, and of members, that still exist) with the roles
    // their role groups grant; a role TIM granted otherwise never does: an administrator's
    // removal stays removed.
    std::string restore(port::AccountTransaction& work,
                        const port::CreatedAccount& created) const override;

  private:
    const AccountSettings _settings;
};

}  // namespace tim
