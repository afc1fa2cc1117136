// What every resource endpoint reads from a request the same way: the JSON body, ETags and
// preconditions, paging and sorting parameters, SearchRequest members.
#pragma once

#include "api/Http.h"
#include "api/RequestLimits.h"

#include <Poco/JSON/Object.h>
#include <Poco/Types.h>

#include <optional>
#include <string>

namespace api {

// The body as a JSON object; 400 invalidSyntax otherwise, also when it nests deeper than
// limits.jsonDepth or holds more than limits.jsonValues values.
Poco::JSON::Object::Ptr parseBody(const Request& request, const RequestLimits& limits);

// W/"<version>"
std::string etagOf(Poco::Int64 version);

// The version an If-Match / If-None-Match names; nullopt for "*" or no header, -1 for an ETag
// this server never issued.
std::optional<Poco::Int64> versionOf(const std::optional<std::string>& header);

// 304 with the ETag when If-None-Match names `version` (or is "*"); nullopt otherwise.
std::optional<Response> notModified(const Request& request, Poco::Int64 version);

// startIndex / count: a whole number (negative reads as 0); `fallback` when absent.
std::size_t parseIndex(const std::optional<std::string>& text, const char* name,
                       std::size_t fallback);

// sortOrder: "ascending" (default) or "descending".
bool descending(const std::string& sortOrder);

// A SearchRequest's attributes / excludedAttributes as a comma-separated list.
std::string joined(const Poco::JSON::Object::Ptr& body, const std::string& name);

// A SearchRequest's string member, "" when absent.
std::string stringMember(const Poco::JSON::Object::Ptr& body, const std::string& name);

}  // namespace api
