#include "GroupsEndpoint.h"

#include "api/DefaultVendor.h"
#include "api/QueryParameters.h"
#include "api/RequestSupport.h"
#include "scim/DateTime.h"
#include "scim/Discovery.h"
#include "scim/GroupSchemas.h"
#include "scim/Json.h"
#include "scim/MemberPatch.h"
#include "scim/Projection.h"
#include "scim/Representation.h"
#include "scim/ScimError.h"
#include "scim/UserSchemas.h"
#include "scim/Values.h"
#include "scim/filter/FilterParser.h"
#include "tim/Roles.h"

#include <Poco/JSON/Array.h>
#include <Poco/String.h>

namespace api {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

// The store's form of an edit: a filter becomes a predicate it runs inside its transaction.
port::MemberChange memberChangeOf(const scim::MemberEdit& edit) {
    port::MemberChange change{edit.kind, edit.ids};
    if (edit.filter) {
        change.matches = [filter = edit.filter](const port::GroupMember& member) {
            return scim::memberMatches(filter, member.id, member.type, member.display);
        };
    }
    return change;
}

}  // namespace

Object::Ptr GroupsEndpoint::render(const port::GroupRecord& record, bool withMembers,
                                   const std::string& baseUrl) const {
    scim::Meta meta{type().name, scim::formatDateTime(Poco::Timestamp(record.createdMs * 1000)),
                    scim::formatDateTime(Poco::Timestamp(record.modifiedMs * 1000)),
                    locationOf(baseUrl, record.id), etagOf(record.version)};
    Object::Ptr resource = scim::renderResource(record.doc, record.id, meta, schema());
    if (withMembers) {
        Array::Ptr members = new Array;
        // A list read them with the page; one group's read asks for them.
        const std::vector<port::GroupMember> read =
            record.members ? std::vector<port::GroupMember>{} : _groups.members(record.id);
        for (const auto& member : record.members ? *record.members : read) {
            Object::Ptr m = new Object;
            m->set("value", member.id);
            const auto& memberType = member.type == "User" ? scim::userResourceType() : type();
            m->set("$ref", baseUrl + memberType.endpoint + "/" + member.id);
            m->set("type", member.type);
            if (!member.display.empty()) {
                m->set("display", member.display);
            }
            members->add(m);
        }
        resource->set("members", members);
    }
    return resource;
}

Object::Ptr GroupsEndpoint::show(const port::GroupRecord& record,
                                 const ResponseShape& shape) const {
    return render(record, shape.projection.includes("members"), shape.baseUrl);
}

std::optional<port::GroupRecord> GroupsEndpoint::find(const std::string& id) const {
    return _groups.find(id);
}

bool GroupsEndpoint::erase(const std::string& id,
                           std::optional<Poco::Int64> expectedVersion) const {
    return _groups.remove(id, expectedVersion);
}

std::pair<Object::Ptr, std::optional<std::vector<std::string>>> GroupsEndpoint::readGroup(
    const Request& request) const {
    Object::Ptr body = parseBody(request, limits());
    std::optional<std::vector<std::string>> members;
    const std::string membersKey = scim::json::keyOf(*body, "members");
    if (!membersKey.empty()) {
        members = scim::memberIdsOf(body->get(membersKey));
        body->remove(membersKey);
    }
    auto normalised = scim::normaliseResource(body, schema());
    applyDefaultVendor(normalised.doc, scim::kTimGroupSchema, _settings.defaultVendor);
    return {normalised.doc, members};
}

void GroupsEndpoint::logWrite(const port::GroupWriteResult& result) const {
    if (!result.restored.empty()) {
        _logger.information("group %s: %s", result.record.id, result.restored);
    }
    for (const auto& id : result.ignoredMembers) {
        _logger.information("group %s: member %s is not a user or group here; ignored",
                            result.record.id, id);
    }
    const std::string name = result.record.doc->getValue<std::string>("displayName");
    if (const auto role = tim::roleNameOf(name)) {
        if (_groups.rolesCatalogued(*role)) {
            _logger.information("role group %s grants the static role %s", name, *role);
        } else {
            _logger.warning(
                "role group %s: %s is not a role SCIM may grant (unknown or internal); "
                "its members get no role from it",
                name, *role);
        }
    }
}

Response GroupsEndpoint::create(const Request& request, const ResponseShape& shape) const {
    const auto group = readGroup(request);
    const auto result = _groups.createOrBind(group.first, group.second);
    logWrite(result);
    return respond(201, result.record, shape);
}

Response GroupsEndpoint::replace(const Request& request, const std::string& id,
                                 const ResponseShape& shape) const {
    const auto group = readGroup(request);
    const auto result =
        _groups.replace(id, group.first, group.second.value_or(std::vector<std::string>{}),
                        versionOf(request.headerValue("If-Match")));
    logWrite(result);
    return respond(200, result.record, shape);
}

Response GroupsEndpoint::patch(const Request& request, const std::string& id,
                               const ResponseShape& shape) const {
    const auto operations =
        scim::parsePatchRequest(parseBody(request, limits()), limits().patchOperations);
    const auto split = scim::splitGroupPatch(operations);
    if (split.memberValues() > limits().membersPerPatch) {
        throw scim::badRequest("tooMany", "A group PATCH may carry at most " +
                                              std::to_string(limits().membersPerPatch) +
                                              " member values; send them in several requests");
    }
    const auto& documentOps = split.documentOps;
    std::vector<port::MemberChange> memberChanges;
    for (const auto& edit : split.memberEdits) {
        memberChanges.push_back(memberChangeOf(edit));
    }
    const auto result = _groups.patch(
        id,
        documentOps.empty()
            ? port::ChangeGroup()
            : [&](const port::GroupRecord& current) {
                  // What the client sees (members aside), for readOnly values repeated unchanged.
                  return scim::applyPatch(current.doc, documentOps, schema(),
                                          render(current, false, shape.baseUrl))
                      .doc;
              },
        memberChanges, versionOf(request.headerValue("If-Match")));
    logWrite(result);
    if (!shape.projection.empty()) {
        return respond(200, result.record, shape);
    }
    Response noContent;  // Entra asks for 204 on group PATCH
    noContent.status = 204;
    noContent.headers.emplace_back("ETag", etagOf(result.record.version));
    return noContent;
}

ListedPage GroupsEndpoint::list(const ListRequest& request, const std::string& baseUrl) const {
    const auto& query = request.query;
    const auto& projection = request.projection;
    const bool withMembers = projection.includes("members");
    // A scanned group is rendered with the members the store read for the filter, if any.
    const auto page = _groups.query(query, withMembers, [&](const port::GroupRecord& record) {
        return render(record, record.members.has_value(), baseUrl);
    });
    Array::Ptr resources = new Array;
    for (const auto& record : page.records) {
        resources->add(projection.apply(render(record, withMembers, baseUrl), schema()));
    }
    return listedPage(resources, page);
}

}  // namespace api
