#include "RequestSupport.h"

#include "BoundedParseHandler.h"

#include "scim/ScimError.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>

namespace api {

using Poco::JSON::Object;

namespace {

// A body is SCIM's JSON (RFC 7644 §3.1) or plain JSON, with any parameters; a body without a
// Content-Type is read as JSON, as clients that omit it mean.
void requireJsonMediaType(const Request& request) {
    const auto contentType = request.headerValue("Content-Type");
    if (!contentType) {
        return;
    }
    const std::string mediaType =
        Poco::toLower(Poco::trim(contentType->substr(0, contentType->find(';'))));
    if (mediaType != scim::kMediaType && mediaType != "application/json") {
        throw scim::unsupportedMediaType(
            "The request body must be application/scim+json or application/json");
    }
}

}  // namespace

Object::Ptr parseBody(const Request& request, const RequestLimits& limits) {
    requireJsonMediaType(request);
    Poco::Dynamic::Var parsed;
    Poco::JSON::Parser parser(new BoundedParseHandler(limits.jsonValues, limits.jsonStringBytes));
    parser.setDepth(limits.jsonDepth);
    try {
        parsed = parser.parse(request.body());
    } catch (const JsonLimitExceeded& e) {
        throw scim::badRequest("invalidSyntax", e.message());
    } catch (const Poco::Exception& e) {
        if (e.message().find("depth") != std::string::npos) {
            throw scim::badRequest("invalidSyntax", "The request body nests deeper than " +
                                                        std::to_string(limits.jsonDepth) +
                                                        " levels");
        }
        throw scim::badRequest("invalidSyntax", "The request body is not valid JSON");
    }
    if (parsed.type() != typeid(Object::Ptr)) {
        throw scim::badRequest("invalidSyntax", "The request body must be a JSON object");
    }
    return parsed.extract<Object::Ptr>();
}

std::string etagOf(Poco::Int64 version) {
    return "W/\"" + std::to_string(version) + "\"";
}

// The version an If-Match / If-None-Match names; nullopt for "*" or no header.
std::optional<Poco::Int64> versionOf(const std::optional<std::string>& header) {
    if (!header || Poco::trim(*header) == "*") {
        return std::nullopt;
    }
    std::string tag = Poco::trim(*header);
    if (tag.rfind("W/", 0) == 0) {
        tag.erase(0, 2);
    }
    if (tag.size() >= 2 && tag.front() == '"' && tag.back() == '"') {
        tag = tag.substr(1, tag.size() - 2);
    }
    Poco::Int64 version = 0;
    if (!Poco::NumberParser::tryParse64(tag, version)) {
        return -1;  // an ETag this server never issued: it can never match
    }
    return version;
}

std::optional<Response> notModified(const Request& request, Poco::Int64 version) {
    const auto ifNoneMatch = request.headerValue("If-None-Match");
    if (!ifNoneMatch || (Poco::trim(*ifNoneMatch) != "*" && versionOf(ifNoneMatch) != version)) {
        return std::nullopt;
    }
    Response response;
    response.status = 304;
    response.headers.emplace_back("ETag", etagOf(version));
    return response;
}

std::size_t parseIndex(const std::optional<std::string>& text, const char* name,
                       std::size_t fallback) {
    if (!text || Poco::trim(*text).empty()) {
        return fallback;
    }
    Poco::Int64 value = 0;
    if (!Poco::NumberParser::tryParse64(Poco::trim(*text), value)) {
        throw scim::badRequest("invalidValue", std::string(name) + " must be a whole number");
    }
    return value < 0 ? 0 : static_cast<std::size_t>(value);
}

bool descending(const std::string& sortOrder) {
    if (sortOrder.empty() || Poco::icompare(sortOrder, "ascending") == 0) {
        return false;
    }
    if (Poco::icompare(sortOrder, "descending") == 0) {
        return true;
    }
    throw scim::badRequest("invalidValue", "sortOrder must be ascending or descending");
}

std::string joined(const Object::Ptr& body, const std::string& name) {
    if (!body->has(name)) {
        return "";
    }
    const Poco::Dynamic::Var value = body->get(name);
    if (value.isString()) {
        return value.extract<std::string>();
    }
    if (value.type() != typeid(Poco::JSON::Array::Ptr)) {
        throw scim::badRequest("invalidValue", name + " must be an array of attribute names");
    }
    std::string text;
    const auto array = value.extract<Poco::JSON::Array::Ptr>();
    for (std::size_t i = 0; i < array->size(); ++i) {
        text += (i ? "," : "") + array->getElement<std::string>(static_cast<unsigned>(i));
    }
    return text;
}

std::string stringMember(const Object::Ptr& body, const std::string& name) {
    if (!body->has(name) || body->get(name).isEmpty()) {
        return "";
    }
    if (!body->get(name).isString()) {
        throw scim::badRequest("invalidValue", name + " must be a string");
    }
    return body->getValue<std::string>(name);
}

}  // namespace api
