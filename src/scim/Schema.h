// The SCIM schema model (RFC 7643 §2, §7): attribute definitions as data that the discovery
// endpoints, the validator, the serializer and the filter all read.
#pragma once

#include <string>
#include <vector>

namespace scim {

enum class AttrType { String, Boolean, Decimal, Integer, DateTime, Binary, Reference, Complex };
enum class Mutability { ReadOnly, ReadWrite, Immutable, WriteOnly };
enum class Returned { Always, Never, Default, Request };
enum class Uniqueness { None, Server, Global };

struct AttributeDef {
    std::string name;
    AttrType type = AttrType::String;
    bool multiValued = false;
    std::string description;
    bool required = false;
    bool caseExact = false;
    Mutability mutability = Mutability::ReadWrite;
    Returned returned = Returned::Default;
    Uniqueness uniqueness = Uniqueness::None;
    std::vector<std::string> canonicalValues;
    std::vector<std::string> referenceTypes;
    std::vector<AttributeDef> subAttributes;

    // The sub-attribute `name` (case-insensitive), or nullptr.
    const AttributeDef* subAttribute(const std::string& name) const;
};

struct SchemaDef {
    std::string id;  // the URN
    std::string name;
    std::string description;
    std::vector<AttributeDef> attributes;

    // The top-level attribute `name` (case-insensitive), or nullptr.
    const AttributeDef* attribute(const std::string& name) const;
};

struct SchemaExtensionRef {
    std::string schema;
    bool required = false;
};

struct ResourceTypeDef {
    std::string id;
    std::string name;
    std::string endpoint;  // "/Users"
    std::string description;
    std::string schema;  // the core schema URN
    std::vector<SchemaExtensionRef> extensions;
};

// Case-insensitive equality of attribute names and URNs (RFC 7643 §2.1).
bool sameName(const std::string& a, const std::string& b);

const char* toString(AttrType type);
const char* toString(Mutability mutability);
const char* toString(Returned returned);
const char* toString(Uniqueness uniqueness);

}  // namespace scim
