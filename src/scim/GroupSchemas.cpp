#include "GroupSchemas.h"

namespace scim {
namespace {

AttributeDef text(std::string name, std::string description) {
    AttributeDef def;
    def.name = std::move(name);
    def.description = std::move(description);
    return def;
}

SchemaDef makeGroupSchema() {
    AttributeDef displayName = text("displayName",
                                    "A human-readable name for the Group; unique "
                                    "case-insensitively. role.<name> grants a role");
    displayName.required = true;
    displayName.uniqueness = Uniqueness::Server;

    AttributeDef externalId =
        text("externalId", "The client's identifier for the Group (Entra: objectId)");
    externalId.caseExact = true;

    AttributeDef value = text("value", "The id of a member (a User or a Group)");
    value.mutability = Mutability::Immutable;
    AttributeDef ref = text("$ref", "The URI of the member");
    ref.type = AttrType::Reference;
    ref.referenceTypes = {"User", "Group"};
    ref.mutability = Mutability::Immutable;
    AttributeDef display = text("display", "A human-readable name of the member");
    display.mutability = Mutability::ReadOnly;
    AttributeDef type = text("type", "User or Group");
    type.canonicalValues = {"User", "Group"};
    type.mutability = Mutability::Immutable;
    AttributeDef members;
    members.name = "members";
    members.type = AttrType::Complex;
    members.multiValued = true;
    members.description = "The members of the Group";
    members.subAttributes = {value, ref, display, type};

    SchemaDef schema;
    schema.id = kGroupSchema;
    schema.name = "Group";
    schema.description = "Group";
    schema.attributes = {displayName, externalId, members};
    return schema;
}

SchemaDef makeTimGroupSchema() {
    SchemaDef schema;
    schema.id = kTimGroupSchema;
    schema.name = "TimGroup";
    schema.description = "TIM group";
    schema.attributes = {text("vendor", "The provisioning application (Entra: a constant)")};
    return schema;
}

}  // namespace

const SchemaDef& groupSchema() {
    static const SchemaDef schema = makeGroupSchema();
    return schema;
}

const SchemaDef& timGroupSchema() {
    static const SchemaDef schema = makeTimGroupSchema();
    return schema;
}

const ResourceTypeDef& groupResourceType() {
    static const ResourceTypeDef type = {"Group", "Group",      "/Groups",
                                         "Group", kGroupSchema, {{kTimGroupSchema, false}}};
    return type;
}

const ResourceSchema& groupResourceSchema() {
    static const ResourceSchema schema(groupSchema(), {&timGroupSchema()});
    return schema;
}

}  // namespace scim
