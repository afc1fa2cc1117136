// TIM's rules for the accounts SCIM writes, in one place: binding (tim/Binding.h), passwords
// (tim/PasswordPolicy.h, tim/Credentials.h), the roles role groups grant (tim/RoleGrants.h) and
// the restore after a deletion in TIM, with their settings. src/tim's use cases
// (tim/UserService.h, tim/GroupService.h, tim/RoleCatalogue.h) apply them inside a
// port::AccountTransaction.
#pragma once

#include "Binding.h"
#include "Credentials.h"
#include "Duration.h"
#include "PasswordPolicy.h"
#include "RoleGrants.h"

#include "port/AccountMatch.h"
#include "port/AccountTransaction.h"

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

class AccountService final {
  public:
    explicit AccountService(AccountSettings settings) : _settings(std::move(settings)) {}

    // What a create becomes, from the accounts it matches (the userName's holder first) and
    // the request's externalId.
    port::BindDecision bind(const std::vector<port::AccountCandidate>& candidates,
                            const std::optional<std::string>& externalId) const;

    // Whether a SCIM write may set this account's password (None), or why not.
    PasswordRefusal passwordRefusal(const port::CredentialStanding& account) const;

    // The role a group with this displayName grants, or nullopt.
    std::optional<std::string> roleOf(const std::string& groupDisplayName) const;

    // `clientHash`: the hash of the password the client sent, if it sent one.
    port::PasswordChange password(AccountEvent event,
                                  const std::optional<std::string>& clientHash) const;

    // Turns a clear password into what password_hash stores.
    std::string hashPassword(const std::string& clear) const;

    // After the memberships of these users in role groups may have changed (or a role group
    // itself did): grants and revokes the roles role groups give them. `accountIds` may hold
    // groups: with nested role groups, the users below them count.
    GrantTally grantRoles(port::AccountTransaction& work,
                          const std::vector<std::string>& accountIds) const;

    // Whether a role group's role reaches the users of groups it holds (scim.roles.nested):
    // then a change to the members of any group may change roles, not only a role group's.
    bool rolesReachNestedGroups() const;

    // After a create: restores what a deletion in TIM took from the account; returns what it
    // did, for the log ("" when nothing). Memberships come back (into groups, and of members,
    // that still exist) with the roles their role groups grant; a role TIM granted otherwise
    // never does: an administrator's removal stays removed.
    std::string restore(port::AccountTransaction& work, const port::CreatedAccount& created) const;

  private:
    const AccountSettings _settings;
};

}  // namespace tim
