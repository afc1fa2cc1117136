#include "Values.h"

#include "ScimError.h"

#include <Poco/DateTimeParser.h>
#include <Poco/JSON/Object.h>
#include <Poco/String.h>

namespace scim {
namespace {

ScimError wrongType(const std::string& path, const char* expected) {
    return badRequest("invalidValue", path + " must be " + expected);
}

}  // namespace

std::optional<bool> coerceBoolean(const Poco::Dynamic::Var& value) {
    if (value.isBoolean()) {
        return value.extract<bool>();
    }
    if (value.isString()) {
        const std::string text = Poco::trim(value.extract<std::string>());
        if (Poco::icompare(text, "true") == 0) {
            return true;
        }
        if (Poco::icompare(text, "false") == 0) {
            return false;
        }
    }
    return std::nullopt;
}

bool isClearingValue(const Poco::Dynamic::Var& value) {
    return value.isEmpty() || (value.isString() && value.extract<std::string>().empty());
}

Poco::Dynamic::Var normaliseValue(const AttributeDef& def, const Poco::Dynamic::Var& value,
                                  const std::string& path) {
    switch (def.type) {
        case AttrType::Boolean: {
            const auto b = coerceBoolean(value);
            if (!b) {
                throw wrongType(path, "a boolean");
            }
            return *b;
        }
        case AttrType::Integer:
            if (!value.isInteger()) {
                throw wrongType(path, "an integer");
            }
            return value;
        case AttrType::Decimal:
            if (!value.isNumeric()) {
                throw wrongType(path, "a number");
            }
            return value;
        case AttrType::DateTime: {
            int tzd = 0;
            Poco::DateTime parsed;
            if (!value.isString() ||
                !Poco::DateTimeParser::tryParse(value.extract<std::string>(), parsed, tzd)) {
                throw wrongType(path, "a date-time such as 2026-11-28T12:00:00Z");
            }
            return value;
        }
        case AttrType::Complex: {
            if (value.type() != typeid(Poco::JSON::Object::Ptr)) {
                throw wrongType(path, "an object");
            }
            const auto in = value.extract<Poco::JSON::Object::Ptr>();
            Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
            for (const auto& member : *in) {
                const AttributeDef* sub = def.subAttribute(member.first);
                if (sub == nullptr) {
                    out->set(member.first, member.second);  // kept as sent
                } else if (sub->mutability != Mutability::ReadOnly &&
                           !isClearingValue(member.second)) {
                    out->set(sub->name,
                             normaliseValue(*sub, member.second, path + "." + sub->name));
                }
            }
            return out;
        }
        case AttrType::String:
        case AttrType::Reference:
        case AttrType::Binary:
            if (!value.isString()) {
                throw wrongType(path, "a string");
            }
            return value;
    }
    return value;
}

bool hasControlCharacter(const std::string& text) {
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7F) {
            return true;
        }
    }
    return false;
}

void checkIdentifierText(const std::string& text, const std::string& what) {
    if (hasControlCharacter(text)) {
        throw badRequest("invalidValue", what + " must not contain control characters");
    }
}

}  // namespace scim
