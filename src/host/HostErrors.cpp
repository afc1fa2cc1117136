#include "HostErrors.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <sstream>

namespace timhost {

void sendHostError(Poco::Net::HTTPServerResponse& response, int status, const std::string& detail,
                   const std::string& mediaType) {
    Poco::JSON::Object error;
    Poco::JSON::Array schemas;
    schemas.add("urn:ietf:params:scim:api:messages:2.0:Error");
    error.set("schemas", schemas);
    error.set("status", std::to_string(status));
    error.set("detail", detail);
    std::ostringstream body;
    error.stringify(body);
    const std::string text = body.str();

    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    response.setContentType(mediaType);
    response.setContentLength(static_cast<std::streamsize>(text.size()));
    response.send() << text << std::flush;
}

}  // namespace timhost
