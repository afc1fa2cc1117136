#include "HostErrors.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <sstream>

namespace timhost {

HttpAnswer hostError(int status, const std::string& detail, const std::string& mediaType) {
    Poco::JSON::Object error;
    Poco::JSON::Array schemas;
    schemas.add("urn:ietf:params:scim:api:messages:2.0:Error");
    error.set("schemas", schemas);
    error.set("status", std::to_string(status));
    error.set("detail", detail);
    std::ostringstream body;
    error.stringify(body);
    HttpAnswer answer;
    answer.status = status;
    answer.headers.emplace_back("Content-Type", mediaType);
    answer.body = body.str();
    return answer;
}

}  // namespace timhost
