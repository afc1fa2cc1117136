#include "ResourceEndpoint.h"

#include "api/QueryParameters.h"
#include "api/RequestSupport.h"
#include "scim/Json.h"
#include "scim/ScimError.h"
#include "scim/Values.h"
#include "scim/filter/FilterParser.h"

namespace api {
namespace {

// attributes and excludedAttributes from the query string.
scim::Projection projectionOf(const QueryParameters& parameters,
                              const scim::ResourceSchema& schema) {
    return scim::Projection::parse(parameters.getOr("attributes", ""),
                                   parameters.getOr("excludedAttributes", ""), schema);
}

}  // namespace

ListRequest listRequestFromQuery(const Request& request, const RequestLimits& limits,
                                 const scim::ResourceSchema& schema) {
    const std::size_t maxResults = limits.maxResults;
    const QueryParameters parameters(request.query);
    ListRequest list;
    if (const auto filter = parameters.get("filter")) {
        list.query.filter = scim::filter::parseFilter(*filter, limits.filter);
    }
    list.query.sortBy = parameters.getOr("sortBy", "");
    list.query.descending = descending(parameters.getOr("sortOrder", ""));
    list.query.startIndex =
        std::max<std::size_t>(1, parseIndex(parameters.get("startIndex"), "startIndex", 1));
    list.query.count =
        std::min(parseIndex(parameters.get("count"), "count", maxResults), maxResults);
    list.projection = projectionOf(parameters, schema);
    return list;
}

ListRequest listRequestFromSearch(const Request& request, const RequestLimits& limits,
                                  const scim::ResourceSchema& schema) {
    const std::size_t maxResults = limits.maxResults;
    const Poco::JSON::Object::Ptr body = parseBody(request, limits);
    ListRequest list;
    const std::string filter = stringMember(body, "filter");
    if (!filter.empty()) {
        list.query.filter = scim::filter::parseFilter(filter, limits.filter);
    }
    list.query.sortBy = stringMember(body, "sortBy");
    list.query.descending = descending(stringMember(body, "sortOrder"));
    const auto number = [&](const char* name, std::size_t fallback) {
        const Poco::Dynamic::Var value = scim::json::memberOf(*body, name);
        if (value.isEmpty()) {
            return fallback;
        }
        if (!value.isInteger()) {
            throw scim::badRequest("invalidValue", std::string(name) + " must be a whole number");
        }
        const auto n = value.convert<Poco::Int64>();
        return n < 0 ? std::size_t(0) : static_cast<std::size_t>(n);
    };
    list.query.startIndex = std::max<std::size_t>(1, number("startIndex", 1));
    list.query.count = std::min(number("count", maxResults), maxResults);
    list.projection = scim::Projection::parse(joined(body, "attributes"),
                                              joined(body, "excludedAttributes"), schema);
    return list;
}

Response ResourceEndpoint::handle(const Request& request, const std::string& id,
                                  const std::string& baseUrl) const {
    const std::string& method = request.method;
    const bool read = method == "GET" || method == "HEAD";
    const auto shape = [&] {
        return ResponseShape{baseUrl, projectionOf(QueryParameters(request.query), _schema)};
    };
    if (id.empty()) {
        if (read) {
            return list(listRequestFromQuery(request, _limits, _schema), baseUrl);
        }
        if (method == "POST") {
            return create(request, shape());
        }
        throw scim::methodNotAllowed(_collection + " takes GET and POST");
    }
    if (id == ".search") {
        if (method != "POST") {
            throw scim::methodNotAllowed(_collection + "/.search takes POST");
        }
        return list(listRequestFromSearch(request, _limits, _schema), baseUrl);
    }
    if (id.find('/') != std::string::npos) {
        throw scim::notFound("No resource at " + _collection + "/" + id);
    }
    scim::checkIdentifierText(id, "An id");
    if (read) {
        return get(request, id, shape());
    }
    if (method == "PUT") {
        return replace(request, id, shape());
    }
    if (method == "PATCH") {
        return patch(request, id, shape());
    }
    if (method == "DELETE") {
        return remove(request, id);
    }
    throw scim::methodNotAllowed(_collection + "/{id} takes GET, PUT, PATCH and DELETE");
}

}  // namespace api
