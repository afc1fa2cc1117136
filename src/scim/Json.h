// Small helpers for Poco JSON values that SCIM code needs everywhere: kind tests,
// case-insensitive member lookup (attribute names are case-insensitive, RFC 7643 §2.1) and
// compact text.
#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/String.h>

#include <string>

namespace scim::json {

inline bool isObject(const Poco::Dynamic::Var& v) {
    return v.type() == typeid(Poco::JSON::Object::Ptr);
}

inline bool isArray(const Poco::Dynamic::Var& v) {
    return v.type() == typeid(Poco::JSON::Array::Ptr);
}

// The key of `object` equal to `name` ignoring case, or "".
inline std::string keyOf(const Poco::JSON::Object& object, const std::string& name) {
    for (const auto& member : object) {
        if (Poco::icompare(member.first, name) == 0) {
            return member.first;
        }
    }
    return "";
}

// The member `name` (ignoring case), or an empty Var.
inline Poco::Dynamic::Var memberOf(const Poco::JSON::Object& object, const std::string& name) {
    const std::string key = keyOf(object, name);
    return key.empty() ? Poco::Dynamic::Var() : object.get(key);
}

// `value` as compact JSON text, byte for byte what Poco::JSON::Stringifier::condense writes
// for the objects this plugin makes (members in name order), in one string: Poco writes each
// character of a string through std::ostream::write and each name through a Var, which was a
// third of the time of a page of 100 users.
std::string compactText(const Poco::Dynamic::Var& value);

}  // namespace scim::json
