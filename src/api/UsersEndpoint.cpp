#include "UsersEndpoint.h"

#include "api/DefaultVendor.h"
#include "api/QueryParameters.h"
#include "api/RequestSupport.h"
#include "scim/DateTime.h"
#include "scim/Discovery.h"
#include "scim/Patch.h"
#include "scim/Representation.h"
#include "scim/ScimError.h"
#include "scim/UserSchemas.h"
#include "scim/filter/FilterParser.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>

namespace api {
namespace {

using Poco::JSON::Object;

// A user cannot be their own manager (400). Pure: it runs inside the store's write.
void refuseOwnManager(const Object::Ptr& doc, const std::string& id) {
    const auto manager = scim::managerIdOf(doc);
    if (manager && *manager == id) {
        throw scim::badRequest("invalidValue", "A user cannot be their own manager");
    }
}

}  // namespace

void UsersEndpoint::applyDefaults(Object::Ptr doc) const {
    applyDefaultVendor(doc, scim::kTimUserSchema, _settings.defaultVendor);
}

std::map<std::string, std::string> UsersEndpoint::managerNames(
    const std::vector<port::UserRecord>& records) const {
    std::map<std::string, std::string> names;
    std::vector<std::string> unread;
    for (const auto& record : records) {
        const auto manager = scim::managerIdOf(record.doc);
        if (!manager) {
            continue;
        }
        if (!record.manager) {
            unread.push_back(*manager);
        } else if (record.manager->known) {
            names.emplace(*manager, record.manager->displayName);
        }
    }
    if (!unread.empty()) {
        auto read = _users.displayNamesOf(unread);
        names.insert(read.begin(), read.end());
    }
    return names;
}

Object::Ptr UsersEndpoint::render(const port::UserRecord& record, const std::string& baseUrl,
                                  const std::map<std::string, std::string>& managerNames) const {
    const auto& roles = record.roles;
    const std::string location = locationOf(baseUrl, record.id);
    scim::Meta meta{type().name, scim::formatDateTime(Poco::Timestamp(record.createdMs * 1000)),
                    scim::formatDateTime(Poco::Timestamp(record.modifiedMs * 1000)), location,
                    etagOf(record.version)};
    Object::Ptr resource = scim::renderResource(record.doc, record.id, meta, schema());
    if (!roles.empty()) {
        // tim:2.0 roles is read-only: the effective static roles, never stored in the document.
        Object::Ptr tim = resource->has(scim::kTimUserSchema)
                              ? Object::Ptr(new Object(*resource->getObject(scim::kTimUserSchema)))
                              : Object::Ptr(new Object);
        Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
        for (const auto& role : roles) {
            list->add(role);
        }
        tim->set("roles", list);
        if (!resource->has(scim::kTimUserSchema)) {
            resource->getArray("schemas")->add(scim::kTimUserSchema);
        }
        resource->set(scim::kTimUserSchema, tim);
    }
    if (resource->has(scim::kEnterpriseUserSchema)) {
        const auto enterprise = resource->getObject(scim::kEnterpriseUserSchema);
        if (enterprise->has("manager") &&
            enterprise->get("manager").type() == typeid(Object::Ptr)) {
            Object::Ptr manager = new Object(*enterprise->getObject("manager"));
            if (manager->has("value") && manager->get("value").isString()) {
                const std::string managerId = manager->getValue<std::string>("value");
                manager->set("$ref", locationOf(baseUrl, managerId));
                const auto name = managerNames.find(managerId);
                if (name != managerNames.end() && !name->second.empty()) {
                    manager->set("displayName", name->second);
                }
            }
            Object::Ptr copy = new Object(*enterprise);
            copy->set("manager", manager);
            resource->set(scim::kEnterpriseUserSchema, copy);
        }
    }
    return resource;
}

Object::Ptr UsersEndpoint::show(const port::UserRecord& record, const ResponseShape& shape) const {
    return render(record, shape.baseUrl, managerNames({record}));
}

std::optional<port::UserRecord> UsersEndpoint::find(const std::string& id) const {
    return _users.find(id);
}

bool UsersEndpoint::erase(const std::string& id, std::optional<Poco::Int64> expectedVersion) const {
    return _users.remove(id, expectedVersion);
}

void UsersEndpoint::noteUnknownManager(const port::UserRecord& record) const {
    if (record.manager && !record.manager->known) {
        // Kept as sent: refusing would fail this user in Entra cycle after cycle.
        _logger.information("manager %s of user %s is not a known user; kept as sent",
                            scim::managerIdOf(record.doc).value_or(""),
                            record.doc->getValue<std::string>("userName"));
    }
}

Response UsersEndpoint::create(const Request& request, const ResponseShape& shape) const {
    auto normalised = scim::normaliseResource(parseBody(request, limits()), schema());
    applyDefaults(normalised.doc);
    const std::string userName = normalised.doc->getValue<std::string>("userName");
    const auto result = _users.createOrBind(normalised.doc, normalised.password);
    if (!result.erasedId.empty()) {
        _logger.information(
            "user %s is new with the userName of deleted user %s, whose externalId it does not "
            "carry: the deleted user was erased (an id is never given to another)",
            result.record.id, result.erasedId);
    }
    if (!result.restored.empty()) {
        _logger.information("user %s: %s", result.record.id, result.restored);
    }
    if (result.outcome == port::CreateOutcome::Bound) {
        _logger.information(
            "bound SCIM user %s to TIM user %s (matched by %s); its password and TIM roles kept",
            userName, result.record.id,
            std::string(result.via == port::MatchedBy::UserName ? "userName" : "email"));
    }
    noteUnknownManager(result.record);
    return respond(201, result.record, shape);
}

Response UsersEndpoint::replace(const Request& request, const std::string& id,
                                const ResponseShape& shape) const {
    if (!_users.find(id)) {
        throw missing(id);
    }
    auto normalised = scim::normaliseResource(parseBody(request, limits()), schema());
    applyDefaults(normalised.doc);
    refuseOwnManager(normalised.doc, id);
    const auto record = _users.replace(id, normalised.doc, normalised.password,
                                       versionOf(request.headerValue("If-Match")));
    noteUnknownManager(record);
    return respond(200, record, shape);
}

Response UsersEndpoint::patch(const Request& request, const std::string& id,
                              const ResponseShape& shape) const {
    const auto operations =
        scim::parsePatchRequest(parseBody(request, limits()), limits().patchOperations);
    const auto record = _users.patch(
        id,
        [&](const port::UserRecord& current) {
            // What the client sees, for readOnly values repeated unchanged (id, meta).
            auto changed = scim::applyPatch(current.doc, operations, schema(),
                                            render(current, shape.baseUrl, {}));
            refuseOwnManager(changed.doc, id);
            return changed;
        },
        versionOf(request.headerValue("If-Match")));
    noteUnknownManager(record);
    return respond(200, record, shape);
}

ListedPage UsersEndpoint::list(const ListRequest& request, const std::string& baseUrl) const {
    const auto& query = request.query;
    const auto& projection = request.projection;
    // A filter no column answers sees each scanned user rendered whole.
    const auto page = _users.query(query, [&](const port::UserRecord& record) {
        return render(record, baseUrl, managerNames({record}));
    });
    // The page's managers in one look-up, whatever the page's size.
    const auto names = managerNames(page.records);
    Poco::JSON::Array::Ptr resources = new Poco::JSON::Array;
    for (const auto& record : page.records) {
        resources->add(projection.apply(render(record, baseUrl, names), schema()));
    }
    return listedPage(resources, page);
}

}  // namespace api
