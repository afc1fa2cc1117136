// Binding of accounts TIM already has (the guide's FAQ 4), made safe: a SCIM token reaches
// provisioning, never a TIM administrator.
#pragma once

#include "port/AccountMatch.h"

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
//   SCIM deleted is revived; a managed user is taken (409, externalId or not); an unmanaged
//   protected account is refused as protected; an unmanaged one is bound unless mode is Off;
// - otherwise, with UserNameOrEmail, the one unmanaged, unprotected, undeleted person with the
//   email is bound; none or several: a new user. Emails are not unique.
port::BindDecision decideBinding(BindingMode mode,
                                 const std::vector<port::AccountCandidate>& candidates);

}  // namespace tim
