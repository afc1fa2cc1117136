#include "Http.h"

#include <sstream>

namespace api {

Response Response::json(int status, const Poco::JSON::Object::Ptr& document) {
    Response response;
    response.status = status;
    response.headers.emplace_back("Content-Type", scim::kMediaType);
    std::ostringstream body;
    document->stringify(body);
    response.body = body.str();
    return response;
}

Response Response::error(const scim::ScimError& error) {
    Response response = json(error.status(), error.toJson());
    response.scimType = error.scimType();
    if (error.status() == 503) {
        response.headers.emplace_back("Retry-After", "5");
    }
    if (error.status() == 401) {
        response.headers.emplace_back("WWW-Authenticate", "Bearer");
    }
    return response;
}

}  // namespace api
