// One plugin: checked against its manifest, loaded, initialised, and later shut down.
#pragma once

#include "HostHandles.h"
#include "PluginManifest.h"

#include <Poco/SharedLibrary.h>

#include <memory>
#include <string>

namespace timhost {

class LoadedPlugin {
  public:
    // Checks the manifest's ABI, loads the library, checks the ABI and build fingerprint the
    // library reports and calls its init. Throws Poco::Exception with a message that names the
    // plugin and what to do; on failure nothing the plugin registered stays registered.
    LoadedPlugin(const PluginManifest& manifest, const Poco::Util::AbstractConfiguration& config,
                 PluginRegistry& registry);
    ~LoadedPlugin();

    LoadedPlugin(const LoadedPlugin&) = delete;
    LoadedPlugin& operator=(const LoadedPlugin&) = delete;

    const std::string& name() const { return _manifest.name; }
    const PluginManifest& manifest() const { return _manifest; }

    // Calls the plugin's shutdown once. The library stays mapped.
    void shutdown();

  private:
    void* symbol(const std::string& name);
    void checkLibraryAbi();

    PluginManifest _manifest;
    Poco::SharedLibrary _library;
    std::unique_ptr<tim_host> _host;
    tim_plugin_shutdown_fn _shutdown = nullptr;
    void* _pluginData = nullptr;
    bool _running = false;
};

}  // namespace timhost
