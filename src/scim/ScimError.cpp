#include "ScimError.h"

#include <Poco/JSON/Array.h>

namespace scim {

Poco::JSON::Object::Ptr ScimError::toJson() const {
    Poco::JSON::Object::Ptr error = new Poco::JSON::Object;
    Poco::JSON::Array::Ptr schemas = new Poco::JSON::Array;
    schemas->add(kErrorSchema);
    error->set("schemas", schemas);
    error->set("status", std::to_string(_status));  // RFC 7644 §3.12: a string
    if (!_scimType.empty()) {
        error->set("scimType", _scimType);
    }
    error->set("detail", detail());
    return error;
}

ScimError badRequest(const std::string& scimType, const std::string& detail) {
    return ScimError(400, scimType, detail);
}

ScimError unauthorized(const std::string& detail) {
    return ScimError(401, "", detail);
}

ScimError notFound(const std::string& detail) {
    return ScimError(404, "", detail);
}

ScimError methodNotAllowed(const std::string& detail) {
    return ScimError(405, "", detail);
}

ScimError conflict(const std::string& detail) {
    return ScimError(409, "uniqueness", detail);
}

ScimError payloadTooLarge(const std::string& detail) {
    return ScimError(413, "", detail);
}

ScimError unsupportedMediaType(const std::string& detail) {
    return ScimError(415, "", detail);
}

ScimError internalError() {
    return ScimError(500, "", "Internal server error; the server log has the details");
}

ScimError serviceUnavailable(const std::string& detail) {
    return ScimError(503, "", detail);
}

}  // namespace scim
