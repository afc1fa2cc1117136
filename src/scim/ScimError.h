// SCIM errors (RFC 7644 §3.12): the one exception type of what a client sent wrong, thrown by
// the protocol and the api and turned into a response by the api (the store throws
// port/StoreErrors.h instead). Build them with the factory functions so scimType is right.
#pragma once

#include <Poco/JSON/Object.h>

#include <stdexcept>
#include <string>

namespace scim {

inline constexpr const char* kErrorSchema = "urn:ietf:params:scim:api:messages:2.0:Error";
inline constexpr const char* kMediaType = "application/scim+json";

class ScimError : public std::runtime_error {
  public:
    ScimError(int status, std::string scimType, const std::string& detail)
        : std::runtime_error(detail), _status(status), _scimType(std::move(scimType)) {}

    int status() const { return _status; }
    const std::string& scimType() const { return _scimType; }  // "" where RFC 7644 has none
    std::string detail() const { return what(); }

    // {"schemas":[Error], "status":"404", "scimType":..., "detail":...}
    Poco::JSON::Object::Ptr toJson() const;

  private:
    int _status;
    std::string _scimType;
};

ScimError badRequest(const std::string& scimType, const std::string& detail);
ScimError unauthorized(const std::string& detail);
ScimError notFound(const std::string& detail);
ScimError methodNotAllowed(const std::string& detail);
ScimError conflict(const std::string& detail);  // scimType "uniqueness"
ScimError payloadTooLarge(const std::string& detail);
ScimError unsupportedMediaType(const std::string& detail);
ScimError internalError();  // the detail never carries internals
ScimError serviceUnavailable(const std::string& detail);

}  // namespace scim
