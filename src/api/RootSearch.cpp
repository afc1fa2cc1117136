#include "RootSearch.h"

#include "api/RequestSupport.h"
#include "scim/Discovery.h"
#include "scim/Json.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cstdlib>
#include <optional>

namespace api {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

// A whole number from the SearchRequest, `fallback` when absent.
Poco::Int64 numberOf(const Object& body, const char* name, Poco::Int64 fallback) {
    const Var value = scim::json::memberOf(body, name);
    if (value.isEmpty()) {
        return fallback;
    }
    if (!value.isInteger() || value.isBoolean() ||
        (!value.isSigned() && value.convert<Poco::UInt64>() > 1000000000) ||
        (value.isSigned() && std::abs(value.convert<Poco::Int64>()) > 1000000000)) {
        throw scim::badRequest("invalidValue", std::string(name) + " must be a whole number");
    }
    return value.convert<Poco::Int64>();
}

// Whether a type refused the request for naming what it does not define.
bool refusedAsUnknownToIt(const scim::ScimError& error) {
    return error.status() == 400 &&
           (error.scimType() == "invalidFilter" || error.scimType() == "invalidValue");
}

}  // namespace

Response RootSearch::handle(const Request& request, const std::string& baseUrl) const {
    if (request.method != "POST") {
        throw scim::methodNotAllowed("/.search takes POST (a SearchRequest)");
    }
    const Object::Ptr body = parseBody(request, _limits);
    if (!scim::json::memberOf(*body, "cursor").isEmpty()) {
        throw scim::badRequest("invalidValue",
                               "Cursors page one resource type: search its own .search (" +
                                   (_types.empty() ? std::string("/Users")
                                                   : _types.front().endpoint->type().endpoint) +
                                   "/.search) with a cursor");
    }
    // RFC 7644 §3.4.2.4: a startIndex below 1 is 1, a negative count 0.
    const Poco::Int64 startIndex = std::max<Poco::Int64>(1, numberOf(*body, "startIndex", 1));
    Poco::Int64 remaining = std::clamp<Poco::Int64>(
        numberOf(*body, "count", static_cast<Poco::Int64>(_limits.maxResults)), 0,
        static_cast<Poco::Int64>(_limits.maxResults));
    Poco::Int64 skip = startIndex - 1;  // of the results of all types together

    Array::Ptr resources = new Array;
    std::size_t total = 0;
    std::size_t answered = 0;
    std::optional<scim::ScimError> refusal;
    for (const ServedResource& type : _types) {
        Object::Ptr search = new Object(*body);
        search->set("startIndex", skip + 1);
        search->set("count", remaining);
        Request one;
        one.method = "POST";
        one.path = request.path;
        one.clientAddress = request.clientAddress;
        one.origin = request.origin;
        one.header = request.header;
        one.readBody = [text = scim::json::compactText(search)] {
            return ReceivedBody{ReceivedBody::Outcome::Complete, text};
        };
        Object::Ptr page;
        try {
            page = Poco::JSON::Parser()
                       .parse(type.endpoint->handle(one, ".search", baseUrl).body)
                       .extract<Object::Ptr>();
        } catch (const scim::ScimError& e) {
            if (!refusedAsUnknownToIt(e)) {
                throw;
            }
            if (!refusal) {
                refusal = e;
            }
            continue;
        }
        ++answered;
        const auto typeTotal = page->getValue<Poco::Int64>("totalResults");
        total += static_cast<std::size_t>(typeTotal);
        if (const Array::Ptr found = page->getArray("Resources")) {
            for (const auto& resource : *found) {
                resources->add(resource);
            }
            remaining -= static_cast<Poco::Int64>(found->size());
        }
        skip = std::max<Poco::Int64>(0, skip - typeTotal);
    }
    if (answered == 0 && refusal) {
        throw *refusal;
    }
    return Response::json(
        200, scim::listResponse(resources, total, static_cast<std::size_t>(startIndex)));
}

}  // namespace api
