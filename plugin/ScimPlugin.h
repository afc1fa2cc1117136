// The tim-scim plugin object: what tim_plugin_init creates and tim_plugin_shutdown destroys.
#pragma once

#include "HostBridge.h"
#include "api/PluginCore.h"

#include <Poco/AutoPtr.h>

#include <memory>

namespace timplugin {

class ScimPlugin {
  public:
    // Builds the core and registers the SCIM route and the admin commands. Throws with a
    // message for the operator.
    ScimPlugin(tim_host* host, const tim_host_api* api);
    ~ScimPlugin();

    ScimPlugin(const ScimPlugin&) = delete;
    ScimPlugin& operator=(const ScimPlugin&) = delete;

    const HostBridge& host() const { return _host; }

  private:
    static tim_status handleHttp(void* self, tim_http_exchange* exchange);
    static tim_status migrationsCommand(void* self, int argc, const char* const* argv,
                                        tim_command_output* output);

    void registerOrThrow(tim_status status, const std::string& what);

    HostBridge _host;
    Poco::AutoPtr<HostChannel> _channel;
    Poco::AutoPtr<HostConfiguration> _config;
    std::unique_ptr<api::PluginCore> _core;
};

}  // namespace timplugin
