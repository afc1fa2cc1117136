#include "ResourceEndpoint.h"

#include "api/QueryParameters.h"
#include "api/RequestSupport.h"
#include "scim/Discovery.h"
#include "scim/Json.h"
#include "scim/Schema.h"
#include "scim/ScimError.h"
#include "scim/Values.h"
#include "scim/filter/Evaluator.h"
#include "scim/filter/FilterParser.h"

#include <Poco/String.h>

namespace api {
namespace {

// attributes and excludedAttributes from the query string.
scim::Projection projectionOf(const QueryParameters& parameters,
                              const scim::ResourceSchema& schema) {
    return scim::Projection::parse(parameters.getOr("attributes", ""),
                                   parameters.getOr("excludedAttributes", ""), schema);
}

// Cursor paging walks in creation order: sortBy may only name it, and startIndex, if sent,
// must be the start.
void checkCursorPaging(const ListRequest& list, std::size_t startIndex) {
    if (!list.cursor) {
        return;
    }
    if (startIndex != 1) {
        throw scim::badRequest("invalidValue", "startIndex and cursor cannot be combined");
    }
    const auto& sortBy = list.query.sortBy;
    if (sortBy && !(sortBy->schema.empty() && scim::sameName(sortBy->attribute, "meta") &&
                    scim::sameName(sortBy->subAttribute, "created"))) {
        throw scim::badRequest("invalidValue",
                               "Cursor pages are in creation order (sortBy=meta.created, "
                               "sortOrder as asked); sortBy=" +
                                   sortBy->text() + " needs index paging");
    }
}

// What the store may take as it is: every path the filter names, and the sort attribute, are
// the schema's (400 otherwise, before any port is asked).
void checkAgainstSchema(ListRequest& list, const std::string& sortBy,
                        const scim::ResourceSchema& schema) {
    if (list.query.filter) {
        scim::filter::validate(list.query.filter, schema);
    }
    if (sortBy.empty()) {
        return;
    }
    auto path = scim::filter::unqualifiedCommon(scim::filter::parseAttrPath(sortBy, "invalidValue"),
                                                schema);
    if (!scim::filter::sortable(path, schema)) {
        throw scim::badRequest("invalidValue", "Cannot sort by unknown attribute " + sortBy);
    }
    list.query.sortBy = std::move(path);
}

}  // namespace

ListRequest listRequestFromQuery(const Request& request, const RequestLimits& limits,
                                 const scim::ResourceSchema& schema) {
    const std::size_t maxResults = limits.maxResults;
    const QueryParameters parameters(request.query);
    ListRequest list;
    if (const auto filter = parameters.get("filter")) {
        list.query.filter = scim::filter::parseFilter(*filter, limits.filter);
        list.filter = *filter;
    }
    checkAgainstSchema(list, parameters.getOr("sortBy", ""), schema);
    list.query.descending = descending(parameters.getOr("sortOrder", ""));
    list.query.startIndex =
        std::max<std::size_t>(1, parseIndex(parameters.get("startIndex"), "startIndex", 1));
    list.query.count =
        std::min(parseIndex(parameters.get("count"), "count", maxResults), maxResults);
    list.projection = projectionOf(parameters, schema);
    list.cursor = parameters.get("cursor");
    checkCursorPaging(list, list.query.startIndex);
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
        list.filter = filter;
    }
    checkAgainstSchema(list, stringMember(body, "sortBy"), schema);
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
    if (!scim::json::memberOf(*body, "cursor").isEmpty()) {
        list.cursor = stringMember(body, "cursor");
    }
    checkCursorPaging(list, list.query.startIndex);
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
            return answerList(listRequestFromQuery(request, _limits, _schema), baseUrl);
        }
        if (method == "POST") {
            return create(request, shape());
        }
        throw scim::methodNotAllowed(_type.endpoint + " takes GET and POST");
    }
    if (id == ".search") {
        if (method != "POST") {
            throw scim::methodNotAllowed(_type.endpoint + "/.search takes POST");
        }
        return answerList(listRequestFromSearch(request, _limits, _schema), baseUrl);
    }
    if (id.find('/') != std::string::npos) {
        throw scim::notFound("No resource at " + _type.endpoint + "/" + id);
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
    throw scim::methodNotAllowed(_type.endpoint + "/{id} takes GET, PUT, PATCH and DELETE");
}

scim::ScimError ResourceEndpoint::missing(const std::string& id) const {
    return scim::notFound("No " + Poco::toLower(_type.name) + " " + id);
}

Response ResourceEndpoint::answerList(ListRequest request, const std::string& baseUrl) const {
    if (!request.cursor) {
        const ListedPage page = list(request, baseUrl);
        return Response::json(
            200, scim::listResponse(page.resources, page.total, request.query.startIndex));
    }
    if (_cursors == nullptr) {
        throw scim::badRequest("invalidValue", "Cursor paging is not offered here");
    }
    const std::string key = walkKey(_type.endpoint, request.filter, request.query.descending);
    request.query.walk = openCursor(*_cursors, key, *request.cursor);
    const ListedPage page = list(request, baseUrl);
    const auto cursors = request.query.count == 0
                             ? PageCursors{}
                             : cursorsAround(*_cursors, key, *request.query.walk, page.walked);
    return Response::json(
        200, scim::cursorListResponse(page.resources, page.total, cursors.next, cursors.previous));
}

}  // namespace api
