// TIM's rules for the accounts SCIM writes, as the store asks for them inside its writes.
// tim::AccountService implements them: the store decides nothing about binding, passwords,
// roles or restores, it carries out what the rules say in the same transaction.
#pragma once

#include "port/AccountMatch.h"
#include "port/AccountTransaction.h"

#include <Poco/Nullable.h>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace port {

// What a write of an account does to its password.
struct PasswordChange {
    bool keep = true;                  // the hash and the change-at-login flag stay as they are
    Poco::Nullable<std::string> hash;  // otherwise the new hash (null: none)
    bool mustChange = false;           // and whether TIM asks for a new password at login
};

// What SCIM's reach over an account's password depends on.
struct CredentialStanding {
    bool createdByScim = false;       // SCIM created it: neither TIM's own nor bound
    bool holdsProtectedRole = false;  // an internal or protected role, whoever granted it
};

// Why SCIM may not set an account's password.
enum class PasswordRefusal { None, NotCreatedByScim, ProtectedRole };

// How many role grants a recompute added and took away.
struct GrantTally {
    std::size_t granted = 0;
    std::size_t revoked = 0;
};

enum class AccountEvent {
    Created,  // a new account (by SCIM or by TIM)
    Bound,    // an account TIM created becomes SCIM's
    Updated,  // SCIM writes an account it manages (a revive too)
};

class AccountRules {
  public:
    virtual ~AccountRules() = default;

    // What a create becomes, from the accounts it matches (the userName's holder first) and
    // the request's externalId.
    virtual BindDecision bind(const std::vector<AccountCandidate>& candidates,
                              const std::optional<std::string>& externalId) const = 0;

    // Whether a SCIM write may set this account's password (None), or why not.
    virtual PasswordRefusal passwordRefusal(const CredentialStanding& account) const = 0;

    // The role a group with this displayName grants, or nullopt.
    virtual std::optional<std::string> roleOf(const std::string& groupDisplayName) const = 0;

    // `clientHash`: the hash of the password the client sent, if it sent one.
    virtual PasswordChange password(AccountEvent event,
                                    const std::optional<std::string>& clientHash) const = 0;

    // Turns a clear password into what password_hash stores.
    virtual std::string hashPassword(const std::string& clear) const = 0;

    // After the memberships of these users in role groups may have changed (or a role group
    // itself did): grants and revokes the roles role groups give them.
    // `accountIds` may hold groups: with nested role groups, the users below them count.
    virtual GrantTally grantRoles(AccountTransaction& work,
                                  const std::vector<std::string>& accountIds) const = 0;

    // Whether a role group's role reaches the users of groups it holds (scim.roles.nested): then
    // a change to the members of any group may change roles, not only a role group's.
    virtual bool rolesReachNestedGroups() const = 0;

    // After a create: restores what a deletion in TIM took from the account; returns what it
    // did, for the log ("" when nothing).
    virtual std::string restore(AccountTransaction& work, const CreatedAccount& created) const = 0;
};

}  // namespace port
