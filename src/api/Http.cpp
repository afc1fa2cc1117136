#include "Http.h"

#include "scim/Json.h"

namespace api {

const std::string& Request::body() const {
    if (_body) {
        return *_body;
    }
    ReceivedBody received = readBody ? readBody() : ReceivedBody{};
    switch (received.outcome) {
        case ReceivedBody::Outcome::TooLarge:
            throw scim::payloadTooLarge("The request body exceeds the host's limit");
        case ReceivedBody::Outcome::Incomplete:
            throw scim::badRequest("invalidSyntax",
                                   "The request body was not received completely (the client "
                                   "stopped sending or closed the connection); nothing was done");
        case ReceivedBody::Outcome::Complete:
            break;
    }
    _body = std::move(received.text);
    return *_body;
}

Response Response::json(int status, const Poco::JSON::Object::Ptr& document) {
    Response response;
    response.status = status;
    response.headers.emplace_back("Content-Type", scim::kMediaType);
    response.body = scim::json::compactText(document);
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
