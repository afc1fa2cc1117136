// The tim-scim plugin object: what tim_plugin_init creates and tim_plugin_shutdown destroys.
#pragma once

#include "HostBridge.h"
#include "app/PluginCore.h"

#include <Poco/AutoPtr.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

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
    // An admin command: takes the arguments, returns what to print, throws on failure.
    struct Command {
        ScimPlugin* plugin;
        std::string name;
        std::function<std::string(const std::vector<std::string>&)> run;
    };

    static tim_status handleHttp(void* self, tim_http_exchange* exchange);
    static tim_status runPurgeTask(void* self);
    static tim_status runCommand(void* command, int argc, const char* const* argv,
                                 tim_command_output* output);

    void addCommand(const std::string& name, const std::string& description,
                    std::function<std::string(const std::vector<std::string>&)> run);
    void registerOrThrow(tim_status status, const std::string& what);

    HostBridge _host;
    Poco::AutoPtr<HostChannel> _channel;
    Poco::AutoPtr<HostConfiguration> _config;
    std::unique_ptr<app::PluginCore> _core;
    std::vector<std::unique_ptr<Command>> _commands;
};

}  // namespace timplugin
