// The host's routing of one parsed request: to the plugin route that owns its path, with every
// failure answered as a JSON error.
#pragma once

#include "HostSettings.h"
#include "HttpMessage.h"
#include "PluginRegistry.h"
#include "UnroutedLog.h"

#include <memory>
#include <string>

namespace timhost {

class RequestRouter {
  public:
    RequestRouter(const PluginRegistry& registry, const HttpSettings& settings);

    // Called concurrently by every worker thread: keeps no per-request state. Never throws;
    // the answer closes the connection when the request's body was not read whole.
    HttpAnswer serve(IncomingRequest& request) const noexcept;

    // The media type of the errors the host makes for `path` (its route's; see
    // tim_http_handler_desc.error_media_type).
    std::string errorMediaTypeFor(const std::string& path) const;

  private:
    HttpAnswer route(IncomingRequest& request) const;
    HttpAnswer refuseBody(const std::string& mediaType) const;

    const PluginRegistry& _registry;
    const HttpSettings _settings;
    std::unique_ptr<UnroutedLog> _unrouted;
};

// The path and the query of a request target ("/a/b?x=1#f" -> "/a/b", "x=1").
void splitTarget(const std::string& target, std::string& path, std::string& query);

}  // namespace timhost
