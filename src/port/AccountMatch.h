// What a create request found among the accounts TIM has, and what to do about it: the store
// finds the candidates inside the create's transaction, TIM's binding rule (tim/Binding.h)
// decides, and src/tim carries the decision out in the same transaction.
#pragma once

#include <Poco/Types.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace port {

enum class MatchedBy { UserName, Email };

// An account whose folded userName, or one of whose email keys, equals the request's.
struct AccountCandidate {
    MatchedBy via = MatchedBy::UserName;
    std::string id;
    bool person = true;        // false: a system identity (sys.scim)
    bool deleted = false;      // hidden by a SCIM DELETE, awaiting the purge
    bool managed = false;      // SCIM created or bound it
    bool isProtected = false;  // holds a protected role
    std::optional<std::string> externalId;
    Poco::Int64 version = 0;  // as found: a bind, revive or recycle needs it unchanged
};

struct BindDecision {
    enum class Kind {
        Create,   // a new user
        Bind,     // an unmanaged account becomes this user (`id`, matched `via`)
        Revive,   // the user SCIM deleted comes back (`id`): the request has its externalId
        Recycle,  // a new user; the deleted user `id` holding the userName is erased first
        Refuse,   // 409 (`refusal`, holder `id`)
    };
    enum class Refusal { NameTaken, Reserved, Protected };
    Kind kind = Kind::Create;
    std::string id;
    MatchedBy via = MatchedBy::UserName;
    Refusal refusal = Refusal::NameTaken;
};

}  // namespace port
