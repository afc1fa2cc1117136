#include "StoreErrorAnswers.h"

namespace api {

scim::ScimError scimErrorOf(const port::StoreError& error) {
    const std::string detail = error.what();
    if (dynamic_cast<const port::NotFound*>(&error) != nullptr) {
        return scim::notFound(detail);
    }
    if (dynamic_cast<const port::VersionMismatch*>(&error) != nullptr) {
        return scim::ScimError(412, "", detail);
    }
    if (const auto* conflict = dynamic_cast<const port::Conflict*>(&error)) {
        return conflict->kind() == port::Conflict::Kind::Uniqueness
                   ? scim::conflict(detail)
                   : scim::ScimError(409, "", detail);
    }
    if (dynamic_cast<const port::Forbidden*>(&error) != nullptr) {
        return scim::ScimError(403, "", detail);  // RFC 7644 §3.12: no scimType
    }
    if (dynamic_cast<const port::TooLarge*>(&error) != nullptr) {
        return scim::payloadTooLarge(detail);
    }
    if (const auto* query = dynamic_cast<const port::InvalidQuery*>(&error)) {
        return scim::badRequest(
            query->kind() == port::InvalidQuery::Kind::Filter ? "invalidFilter" : "invalidValue",
            detail);
    }
    if (const auto* unavailable = dynamic_cast<const port::Unavailable*>(&error)) {
        // The cause's own text names the database: it goes to the log, never to the client.
        return scim::serviceUnavailable(
            unavailable->cause() == port::Unavailable::Cause::Busy
                ? "The server is busy; retry after a few seconds"
                : "The database is unavailable; retry after a few seconds");
    }
    return scim::internalError();
}

}  // namespace api
