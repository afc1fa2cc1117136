#include "DocumentChanges.h"

#include "Json.h"

#include <set>

namespace scim {
namespace {

bool isExtension(const std::string& name, const Poco::Dynamic::Var& value) {
    return name.rfind("urn:", 0) == 0 && value.type() == typeid(Poco::JSON::Object::Ptr);
}

// Adds to `names` each attribute of `before` and `after` whose value differs (all of them when
// one side is null), naming an extension's attributes "urn:...:attr".
void collectChanges(const Poco::JSON::Object::Ptr& before, const Poco::JSON::Object::Ptr& after,
                    const std::string& prefix, std::set<std::string>& names) {
    std::set<std::string> keys;
    for (const auto* doc : {&before, &after}) {
        if (!doc->isNull()) {
            for (const auto& entry : **doc) {
                keys.insert(entry.first);
            }
        }
    }
    for (const auto& key : keys) {
        const bool inBefore = !before.isNull() && before->has(key);
        const bool inAfter = !after.isNull() && after->has(key);
        const Poco::Dynamic::Var was = inBefore ? before->get(key) : Poco::Dynamic::Var();
        const Poco::Dynamic::Var is = inAfter ? after->get(key) : Poco::Dynamic::Var();
        if (prefix.empty() && (isExtension(key, was) || isExtension(key, is))) {
            collectChanges(isExtension(key, was) ? was.extract<Poco::JSON::Object::Ptr>() : nullptr,
                           isExtension(key, is) ? is.extract<Poco::JSON::Object::Ptr>() : nullptr,
                           key + ":", names);
        } else if (inBefore != inAfter || before.isNull() || after.isNull() ||
                   json::compactText(was) != json::compactText(is)) {
            names.insert(prefix + key);
        }
    }
}

}  // namespace

std::vector<std::string> changedAttributes(const Poco::JSON::Object::Ptr& before,
                                           const Poco::JSON::Object::Ptr& after) {
    std::set<std::string> names;
    collectChanges(before, after, "", names);
    return {names.begin(), names.end()};
}

std::vector<std::string> attributesOf(const Poco::JSON::Object::Ptr& doc) {
    return changedAttributes(nullptr, doc);
}

bool sameDocument(const Poco::JSON::Object::Ptr& a, const Poco::JSON::Object::Ptr& b) {
    return json::compactText(Poco::Dynamic::Var(a)) == json::compactText(Poco::Dynamic::Var(b));
}

}  // namespace scim
