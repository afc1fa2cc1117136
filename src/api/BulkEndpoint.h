// POST /Bulk (RFC 7644 §3.7): each operation of a BulkRequest runs as the request it stands
// for, through the same endpoints, so each is atomic on its own and every limit of a single
// request applies to it. bulkId references ("bulkId:x" in a path or a value) are resolved in
// dependency order; one that cannot be (a cycle, a failed or missing creation) is 409.
#pragma once

#include "api/Http.h"
#include "api/RequestLimits.h"
#include "api/ServedResources.h"

#include <cstddef>
#include <functional>
#include <string>

namespace api {

struct BulkSettings {
    std::size_t maxOperations = 1000;       // more: 413
    std::size_t maxPayloadBytes = 1048576;  // a larger body: 413
    // Most operations that set a password (each costs a slow hash); more: 413 before any
    // runs.
    std::size_t maxPasswordOperations = 20;
};

class BulkEndpoint {
  public:
    // Runs one operation's request below the base path and answers it, errors included.
    using Run = std::function<Response(const Request&)>;

    // `resources`: the types an operation may address, and those whose writes carry passwords.
    BulkEndpoint(BulkSettings settings, const RequestLimits& limits, ServedResources resources)
        : _settings(settings), _limits(limits), _resources(std::move(resources)) {}

    // `basePath` is what an operation's path ("/Users") is appended to.
    Response handle(const Request& request, const std::string& basePath, const Run& run) const;

    const BulkSettings& settings() const { return _settings; }

  private:
    const BulkSettings _settings;
    const RequestLimits _limits;
    const ServedResources _resources;
};

}  // namespace api
