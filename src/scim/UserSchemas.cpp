#include "UserSchemas.h"

#include <utility>

namespace scim {
namespace {

AttributeDef attr(std::string name, AttrType type, std::string description) {
    AttributeDef def;
    def.name = std::move(name);
    def.type = type;
    def.description = std::move(description);
    return def;
}

AttributeDef text(std::string name, std::string description) {
    return attr(std::move(name), AttrType::String, std::move(description));
}

AttributeDef required(AttributeDef def) {
    def.required = true;
    return def;
}

AttributeDef readOnly(AttributeDef def) {
    def.mutability = Mutability::ReadOnly;
    return def;
}

AttributeDef complex(std::string name, std::string description, std::vector<AttributeDef> subs) {
    AttributeDef def = attr(std::move(name), AttrType::Complex, std::move(description));
    def.subAttributes = std::move(subs);
    return def;
}

// The common shape of emails, phoneNumbers, ims, photos...: value, display, type, primary.
AttributeDef multiValued(std::string name, std::string description, std::vector<std::string> types,
                         AttrType valueType = AttrType::String) {
    AttributeDef type = text("type", "A label indicating the attribute's function");
    type.canonicalValues = std::move(types);
    AttributeDef def = complex(
        std::move(name), std::move(description),
        {attr("value", valueType, "The attribute's value"),
         text("display", "A human-readable name, primarily used for display purposes"), type,
         attr("primary", AttrType::Boolean,
              "Whether this is the primary value; at most one value is primary")});
    def.multiValued = true;
    return def;
}

SchemaDef makeUserSchema() {
    AttributeDef userName = required(text(
        "userName", "Unique identifier for the User, used to sign in; unique case-insensitively"));
    userName.uniqueness = Uniqueness::Server;

    AttributeDef password = text("password", "The User's cleartext password, stored only hashed");
    password.mutability = Mutability::WriteOnly;
    password.returned = Returned::Never;

    AttributeDef profileUrl =
        attr("profileUrl", AttrType::Reference, "A URI to the User's online profile");
    profileUrl.referenceTypes = {"external"};

    AttributeDef address =
        complex("addresses", "A physical mailing address for this User",
                {text("formatted", "The full mailing address, formatted for display"),
                 text("streetAddress", "The full street address component"),
                 text("locality", "The city or locality component"),
                 text("region", "The state or region component"),
                 text("postalCode", "The zip code or postal code component"),
                 text("country", "The country name component"),
                 text("type", "A label indicating the attribute's function"),
                 attr("primary", AttrType::Boolean, "Whether this is the primary address")});
    address.multiValued = true;
    address.subAttributes[6].canonicalValues = {"work", "home", "other"};

    AttributeDef groupRef = readOnly(attr("$ref", AttrType::Reference, "The URI of the group"));
    groupRef.referenceTypes = {"User", "Group"};
    AttributeDef groups =
        readOnly(complex("groups", "A list of groups to which the user belongs",
                         {readOnly(text("value", "The identifier of the User's group")), groupRef,
                          readOnly(text("display", "A human-readable name of the group")),
                          readOnly(text("type", "direct or indirect membership"))}));
    groups.multiValued = true;
    groups.subAttributes[3].canonicalValues = {"direct", "indirect"};

    // A common attribute (RFC 7643 §3.1), listed because clients map it and check discovery.
    AttributeDef externalId =
        text("externalId", "The client's identifier for the User (Entra: objectId); not unique");
    externalId.caseExact = true;

    SchemaDef schema;
    schema.id = kUserSchema;
    schema.name = "User";
    schema.description = "User Account";
    schema.attributes = {
        userName,
        externalId,
        complex("name", "The components of the user's real name",
                {text("formatted", "The full name, formatted for display"),
                 text("familyName", "The family name of the User"),
                 text("givenName", "The given name of the User"),
                 text("middleName", "The middle name(s) of the User"),
                 text("honorificPrefix", "The honorific prefix(es) of the User"),
                 text("honorificSuffix", "The honorific suffix(es) of the User")}),
        text("displayName", "The name of the User, suitable for display to end-users"),
        text("nickName", "The casual way to address the user"),
        profileUrl,
        text("title", "The user's title, such as \"Vice President\""),
        text("userType", "The relationship between the organization and the user"),
        text("preferredLanguage", "The User's preferred written or spoken language"),
        text("locale", "The User's default location for localization"),
        text("timezone", "The User's time zone in the IANA Time Zone database format"),
        attr("active", AttrType::Boolean, "The User's administrative status; false disables"),
        password,
        multiValued("emails", "Email addresses for the user", {"work", "home", "other"}),
        multiValued("phoneNumbers", "Phone numbers for the User",
                    {"work", "home", "mobile", "fax", "pager", "other"}),
        multiValued("ims", "Instant messaging addresses for the User",
                    {"aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"}),
        multiValued("photos", "URLs of photos of the User", {"photo", "thumbnail"},
                    AttrType::Reference),
        address,
        groups,
        multiValued("entitlements", "A list of entitlements for the User", {}),
        multiValued("roles", "A list of roles for the User", {}),
        multiValued("x509Certificates", "A list of certificates issued to the User", {},
                    AttrType::Binary),
    };
    return schema;
}

SchemaDef makeEnterpriseUserSchema() {
    AttributeDef managerRef = attr("$ref", AttrType::Reference, "The URI of the manager");
    managerRef.referenceTypes = {"User"};
    SchemaDef schema;
    schema.id = kEnterpriseUserSchema;
    schema.name = "EnterpriseUser";
    schema.description = "Enterprise User";
    schema.attributes = {
        text("employeeNumber", "Numeric or alphanumeric identifier assigned to a person"),
        text("costCenter", "Identifies the name of a cost center"),
        text("organization", "Identifies the name of an organization"),
        text("division", "Identifies the name of a division"),
        text("department", "Identifies the name of a department"),
        complex(
            "manager", "The User's manager",
            {text("value", "The id of the SCIM resource representing the User's manager"),
             managerRef, readOnly(text("displayName", "The displayName of the User's manager"))}),
    };
    return schema;
}

SchemaDef makeTimUserEmailSchema() {
    SchemaDef schema;
    schema.id = kTimUserEmailSchema;
    schema.name = "TimUserEmail";
    schema.description = "TIM user email";
    schema.attributes = {text("email", "The user's email address in TIM (Entra: mail)")};
    return schema;
}

SchemaDef makeTimUserSchema() {
    AttributeDef roles = readOnly(
        text("roles", "The user's effective static TIM roles, granted by role.<name> groups"));
    roles.multiValued = true;
    SchemaDef schema;
    schema.id = kTimUserSchema;
    schema.name = "TimUser";
    schema.description = "TIM user";
    schema.attributes = {
        text("vendor", "The provisioning application (Entra: a constant, the application name)"),
        roles,
    };
    return schema;
}

}  // namespace

const SchemaDef& userSchema() {
    static const SchemaDef schema = makeUserSchema();
    return schema;
}

const SchemaDef& enterpriseUserSchema() {
    static const SchemaDef schema = makeEnterpriseUserSchema();
    return schema;
}

const SchemaDef& timUserEmailSchema() {
    static const SchemaDef schema = makeTimUserEmailSchema();
    return schema;
}

const SchemaDef& timUserSchema() {
    static const SchemaDef schema = makeTimUserSchema();
    return schema;
}

const ResourceTypeDef& userResourceType() {
    static const ResourceTypeDef type = {
        "User",
        "User",
        "/Users",
        "User Account",
        kUserSchema,
        {{kEnterpriseUserSchema, false}, {kTimUserEmailSchema, false}, {kTimUserSchema, false}}};
    return type;
}

std::optional<std::string> managerIdOf(const Poco::JSON::Object::Ptr& doc) {
    using Poco::JSON::Object;
    const auto member = [](const Object::Ptr& object, const char* name) {
        return object && object->has(name) && object->get(name).type() == typeid(Object::Ptr)
                   ? object->getObject(name)
                   : Object::Ptr();
    };
    const auto manager = member(member(doc, kEnterpriseUserSchema), "manager");
    if (manager && manager->has("value") && manager->get("value").isString() &&
        !manager->getValue<std::string>("value").empty()) {
        return manager->getValue<std::string>("value");
    }
    return std::nullopt;
}

}  // namespace scim
