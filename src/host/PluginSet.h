// Every plugin found in plugin.dir, loaded in name order.
#pragma once

#include "LoadedPlugin.h"

#include <memory>
#include <set>
#include <string>
#include <vector>

namespace timhost {

class PluginSet {
  public:
    // Loads each <pluginDir>/<name>/manifest.json. A plugin that fails is logged; the host
    // keeps the others unless the failed plugin is not listed in `optional`, in which case
    // this throws.
    void loadAll(const std::string& pluginDir, const std::set<std::string>& optional,
                 const Poco::Util::AbstractConfiguration& config, PluginRegistry& registry);

    // Shuts every plugin down, last loaded first.
    void shutdownAll();

    std::size_t size() const { return _plugins.size(); }

    // The optional plugins that did not start.
    const std::vector<std::string>& failed() const { return _failed; }

    // The tim.properties keys the manifests found declare, loaded or not.
    const std::set<std::string>& settingKeys() const { return _settingKeys; }

  private:
    std::vector<std::unique_ptr<LoadedPlugin>> _plugins;
    std::set<std::string> _settingKeys;
    std::vector<std::string> _failed;
};

}  // namespace timhost
