#include "Schema.h"

#include <Poco/String.h>

namespace scim {

namespace {

template <typename Defs>
const AttributeDef* findByName(const Defs& defs, const std::string& name) {
    for (const auto& def : defs) {
        if (sameName(def.name, name)) {
            return &def;
        }
    }
    return nullptr;
}

}  // namespace

bool sameName(const std::string& a, const std::string& b) {
    return Poco::icompare(a, b) == 0;
}

const AttributeDef* AttributeDef::subAttribute(const std::string& name) const {
    return findByName(subAttributes, name);
}

const AttributeDef* SchemaDef::attribute(const std::string& name) const {
    return findByName(attributes, name);
}

const char* toString(AttrType type) {
    switch (type) {
        case AttrType::String:
            return "string";
        case AttrType::Boolean:
            return "boolean";
        case AttrType::Decimal:
            return "decimal";
        case AttrType::Integer:
            return "integer";
        case AttrType::DateTime:
            return "dateTime";
        case AttrType::Binary:
            return "binary";
        case AttrType::Reference:
            return "reference";
        case AttrType::Complex:
            return "complex";
    }
    return "string";
}

const char* toString(Mutability mutability) {
    switch (mutability) {
        case Mutability::ReadOnly:
            return "readOnly";
        case Mutability::ReadWrite:
            return "readWrite";
        case Mutability::Immutable:
            return "immutable";
        case Mutability::WriteOnly:
            return "writeOnly";
    }
    return "readWrite";
}

const char* toString(Returned returned) {
    switch (returned) {
        case Returned::Always:
            return "always";
        case Returned::Never:
            return "never";
        case Returned::Default:
            return "default";
        case Returned::Request:
            return "request";
    }
    return "default";
}

const char* toString(Uniqueness uniqueness) {
    switch (uniqueness) {
        case Uniqueness::None:
            return "none";
        case Uniqueness::Server:
            return "server";
        case Uniqueness::Global:
            return "global";
    }
    return "none";
}

}  // namespace scim
