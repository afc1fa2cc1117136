// Binding of accounts TIM already has (the guide's FAQ 4), made safe: a SCIM token reaches
// provisioning, never a TIM administrator.
#pragma once

#include "port/AccountMatch.h"

#include <optional>
#include <string>
#include <vector>

namespace tim {

// scim.binding: what a create may bind to.
enum class BindingMode {
    UserNameOrEmail,  // by folded userName, else by email when exactly one account has it
    UserName,         // by folded userName only
    Off,              // never: a userName TIM already has is 409
};

// "userNameOrEmail", "userName" or "off" (any case); throws Poco::InvalidArgumentException.
BindingMode parseBindingMode(const std::string& text);

// The rule:
// - the userName's holder decides when there is one: a system identity is reserved; a user
//   SCIM deleted is revived when the request carries its externalId (the same directory object
//   coming back), else it is erased and the request is a new user with a new id (RFC 7643
//   §3.1: an id is never reassigned); a managed user is taken (409, externalId or not); an
//   unmanaged protected account is refused as protected; an unmanaged one is bound unless
//   mode is Off;
// - otherwise, with UserNameOrEmail, the one unmanaged, unprotected, undeleted person with the
//   email is bound; none or several: a new user. Emails are not unique.
// `externalId`: the request's.
port::BindDecision decideBinding(BindingMode mode,
                                 const std::vector<port::AccountCandidate>& candidates,
                                 const std::optional<std::string>& externalId = std::nullopt);

// Whether a new account with `externalId` is the deleted or TIM-deleted record with
// `recordExternalId` coming back: both set and equal. An account without one is never
// anyone's return.
bool sameDirectoryObject(const std::optional<std::string>& externalId,
                         const std::optional<std::string>& recordExternalId);

}  // namespace tim
