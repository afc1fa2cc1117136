#include "Binding.h"

#include <Poco/Exception.h>
#include <Poco/String.h>

#include <set>

namespace tim {

using port::AccountCandidate;
using port::BindDecision;
using port::MatchedBy;

BindingMode parseBindingMode(const std::string& text) {
    if (Poco::icompare(text, "userNameOrEmail") == 0) {
        return BindingMode::UserNameOrEmail;
    }
    if (Poco::icompare(text, "userName") == 0) {
        return BindingMode::UserName;
    }
    if (Poco::icompare(text, "off") == 0) {
        return BindingMode::Off;
    }
    throw Poco::InvalidArgumentException(
        "scim.binding must be userNameOrEmail, userName or off, not \"" + text + "\"");
}

namespace {

BindDecision decide(BindDecision::Kind kind, const AccountCandidate& on) {
    BindDecision decision;
    decision.kind = kind;
    decision.id = on.id;
    decision.via = on.via;
    return decision;
}

BindDecision refuse(BindDecision::Refusal why, const AccountCandidate& holder) {
    BindDecision decision = decide(BindDecision::Kind::Refuse, holder);
    decision.refusal = why;
    return decision;
}

BindDecision byUserName(BindingMode mode, const AccountCandidate& holder,
                        const std::optional<std::string>& externalId) {
    if (!holder.person) {
        return refuse(BindDecision::Refusal::Reserved, holder);
    }
    if (holder.deleted) {
        return decide(sameDirectoryObject(externalId, holder.externalId)
                          ? BindDecision::Kind::Revive
                          : BindDecision::Kind::Recycle,
                      holder);
    }
    if (holder.managed) {
        return refuse(BindDecision::Refusal::NameTaken, holder);
    }
    if (holder.isProtected) {
        return refuse(BindDecision::Refusal::Protected, holder);
    }
    if (mode == BindingMode::Off) {
        return refuse(BindDecision::Refusal::NameTaken, holder);
    }
    return decide(BindDecision::Kind::Bind, holder);
}

bool bindable(const AccountCandidate& account) {
    return account.person && !account.deleted && !account.managed && !account.isProtected;
}

}  // namespace

bool sameDirectoryObject(const std::optional<std::string>& externalId,
                         const std::optional<std::string>& recordExternalId) {
    return externalId && recordExternalId && *externalId == *recordExternalId;
}

BindDecision decideBinding(BindingMode mode, const std::vector<AccountCandidate>& candidates,
                           const std::optional<std::string>& externalId) {
    for (const auto& candidate : candidates) {
        if (candidate.via == MatchedBy::UserName) {
            return byUserName(mode, candidate, externalId);
        }
    }
    if (mode != BindingMode::UserNameOrEmail) {
        return BindDecision{};
    }
    std::set<std::string> ids;
    const AccountCandidate* only = nullptr;
    for (const auto& candidate : candidates) {
        if (candidate.via == MatchedBy::Email && bindable(candidate)) {
            ids.insert(candidate.id);
            only = &candidate;
        }
    }
    return ids.size() == 1 ? decide(BindDecision::Kind::Bind, *only) : BindDecision{};
}

}  // namespace tim
