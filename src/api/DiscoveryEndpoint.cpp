#include "DiscoveryEndpoint.h"

#include "api/QueryParameters.h"
#include "scim/ScimError.h"

namespace api {
namespace {

bool isRead(const Request& request) {
    return request.method == "GET" || request.method == "HEAD";
}

}  // namespace

bool DiscoveryEndpoint::serves(const std::string& resource) {
    for (const char* name : {"ServiceProviderConfig", "Schemas", "ResourceTypes"}) {
        if (scim::sameName(resource, name)) {
            return true;
        }
    }
    return false;
}

Response DiscoveryEndpoint::handle(const Request& request, const std::string& resource,
                                   const std::string& id, const std::string& baseUrl) const {
    if (!isRead(request)) {
        throw scim::methodNotAllowed(resource + " is read-only: use GET");
    }
    if (QueryParameters(request.query).get("filter")) {
        // RFC 7644 §4: so that no client takes a filter it sent here as applied.
        throw scim::ScimError(403, "", "Filtering is not supported on " + resource);
    }
    if (scim::sameName(resource, "ServiceProviderConfig")) {
        if (!id.empty()) {
            throw scim::notFound("ServiceProviderConfig has no sub-resources");
        }
        return Response::json(
            200, scim::serviceProviderConfig(_capabilities, baseUrl + "/ServiceProviderConfig"));
    }
    if (scim::sameName(resource, "Schemas")) {
        if (!id.empty()) {
            const auto* schema = _catalog.schema(id);
            if (schema == nullptr) {
                throw scim::notFound("No schema " + id);
            }
            return Response::json(200, scim::schemaDocument(*schema, baseUrl));
        }
        Poco::JSON::Array::Ptr all = new Poco::JSON::Array;
        for (const auto* schema : _catalog.schemas) {
            all->add(scim::schemaDocument(*schema, baseUrl));
        }
        return Response::json(200, scim::listResponse(all, all->size(), 1));
    }
    if (!id.empty()) {
        const auto* type = _catalog.resourceType(id);
        if (type == nullptr) {
            throw scim::notFound("No resource type " + id);
        }
        return Response::json(200, scim::resourceTypeDocument(*type, baseUrl));
    }
    Poco::JSON::Array::Ptr all = new Poco::JSON::Array;
    for (const auto* type : _catalog.resourceTypes) {
        all->add(scim::resourceTypeDocument(*type, baseUrl));
    }
    return Response::json(200, scim::listResponse(all, all->size(), 1));
}

}  // namespace api
