// The one mapping from the store's typed errors (port/StoreErrors.h) to SCIM answers.
#pragma once

#include "port/StoreErrors.h"
#include "scim/ScimError.h"

namespace api {

// NotFound 404, VersionMismatch 412, Conflict 409 (uniqueness, or no scimType for contention),
// TooLarge 413, InvalidQuery 400 (invalidFilter or invalidValue), Unavailable 503 with a
// detail that names no internals.
scim::ScimError scimErrorOf(const port::StoreError& error);

}  // namespace api
