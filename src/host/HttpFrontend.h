// The host's routing of one parsed request: to the plugin route that owns its path, with every
// failure answered as a JSON error (Poco alone would answer 501 or a bare 500).
#pragma once

#include "HostSettings.h"
#include "PluginRegistry.h"
#include "ServerRequest.h"
#include "UnroutedLog.h"

#include <Poco/Net/HTTPServerResponse.h>

#include <memory>

namespace timhost {

class RequestRouter {
  public:
    RequestRouter(const PluginRegistry& registry, const HttpSettings& settings);

    // Called concurrently by every connection thread: keeps no per-request state. Never
    // throws; the connection is marked to close when the request's body was not read whole.
    void serve(ServerRequest& request, Poco::Net::HTTPServerResponse& response) const noexcept;

    // The media type of the errors the host makes for `path` (its route's; see
    // tim_http_handler_desc.error_media_type).
    std::string errorMediaTypeFor(const std::string& path) const;

  private:
    void route(ServerRequest& request, Poco::Net::HTTPServerResponse& response) const;
    void answerAndClose(ServerRequest& request, Poco::Net::HTTPServerResponse& response, int status,
                        const std::string& detail, const std::string& mediaType) const;
    void refuseBody(ServerRequest& request, Poco::Net::HTTPServerResponse& response,
                    const std::string& mediaType) const;

    const PluginRegistry& _registry;
    const HttpSettings _settings;
    std::unique_ptr<UnroutedLog> _unrouted;
};

}  // namespace timhost
