// Poco's HTTP server side of the host: every request goes to the plugin route that owns its
// path, and every failure becomes a JSON error (Poco alone would answer 501 or a bare 500).
#pragma once

#include "HostSettings.h"
#include "PluginRegistry.h"

#include <Poco/Net/HTTPRequestHandlerFactory.h>

namespace timhost {

class RequestRouterFactory : public Poco::Net::HTTPRequestHandlerFactory {
  public:
    RequestRouterFactory(const PluginRegistry& registry, const HttpSettings& settings)
        : _registry(registry), _settings(settings) {}

    // Called concurrently by every connection thread: keeps no per-request state.
    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest& request) override;

  private:
    const PluginRegistry& _registry;
    const HttpSettings _settings;
};

}  // namespace timhost
