// A resource type's schemas together (core + extensions) and the resolution of attribute
// paths against them: the one place that decides what "name.givenName" or
// "urn:...:enterprise:2.0:User:manager" means.
#pragma once

#include "Schema.h"
#include "filter/Filter.h"

#include <optional>
#include <string>
#include <vector>

namespace scim {

struct ResolvedPath {
    const SchemaDef* schema = nullptr;           // the core schema or an extension
    const AttributeDef* attribute = nullptr;     // top-level attribute of `schema`
    const AttributeDef* subAttribute = nullptr;  // nullptr when the path has none

    bool isExtension(const std::string& coreSchema) const { return schema->id != coreSchema; }
    // The definition the path ends at.
    const AttributeDef& leaf() const { return subAttribute ? *subAttribute : *attribute; }
};

class ResourceSchema {
  public:
    ResourceSchema(const SchemaDef& core, std::vector<const SchemaDef*> extensions)
        : _core(core), _extensions(std::move(extensions)) {}

    const SchemaDef& core() const { return _core; }
    const std::vector<const SchemaDef*>& extensions() const { return _extensions; }

    // The extension with this URN (case-insensitive), or nullptr.
    const SchemaDef* extension(const std::string& urn) const;
    // The core schema or an extension with this URN.
    const SchemaDef* schema(const std::string& urn) const;

    // Resolves a path; nullopt when the schema, attribute or sub-attribute is unknown. A path
    // without a URN means the core schema, or the one extension that defines the name (as
    // Entra's legacy `manager eq "id"`). The legacy dotted form
    // "urn:...:enterprise:2.0:User.manager" resolves like "urn:...:User:manager".
    std::optional<ResolvedPath> resolve(const filter::AttrPath& path) const;

    // Like resolve(), but `relativeTo` is a multi-valued complex attribute and `path` names
    // one of its sub-attributes (inside a value filter such as emails[type eq "work"]).
    std::optional<ResolvedPath> resolveWithin(const ResolvedPath& relativeTo,
                                              const filter::AttrPath& path) const;

  private:
    const SchemaDef& _core;
    std::vector<const SchemaDef*> _extensions;
};

// The User resource: core User + enterprise + tim:1.0 + tim:2.0.
const ResourceSchema& userResourceSchema();

}  // namespace scim
