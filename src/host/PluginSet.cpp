#include "PluginSet.h"

#include <Poco/DirectoryIterator.h>
#include <Poco/File.h>
#include <Poco/Logger.h>
#include <Poco/Path.h>

#include <algorithm>

namespace timhost {
namespace {

std::vector<std::string> manifestPaths(const std::string& pluginDir) {
    std::vector<std::string> paths;
    Poco::File dir(pluginDir);
    if (!dir.exists() || !dir.isDirectory()) {
        return paths;
    }
    for (Poco::DirectoryIterator it(dir), end; it != end; ++it) {
        if (!it->isDirectory()) {
            continue;
        }
        Poco::Path manifest(it.path(), "manifest.json");
        if (Poco::File(manifest).exists()) {
            paths.push_back(manifest.toString());
        }
    }
    std::sort(paths.begin(), paths.end());
    return paths;
}

}  // namespace

void PluginSet::loadAll(const std::string& pluginDir, const std::set<std::string>& optional,
                        const Poco::Util::AbstractConfiguration& config, PluginRegistry& registry) {
    Poco::Logger& logger = Poco::Logger::get("timhost.plugins");
    const auto paths = manifestPaths(pluginDir);
    if (paths.empty()) {
        logger.warning("no plugins found in " + pluginDir + " (plugin.dir)");
    }
    for (const auto& path : paths) {
        std::string name = Poco::Path(path).parent().directory(Poco::Path(path).depth() - 1);
        try {
            const PluginManifest manifest = PluginManifest::load(path);
            name = manifest.name;
            _settingKeys.insert(manifest.settingKeys.begin(), manifest.settingKeys.end());
            _plugins.push_back(std::make_unique<LoadedPlugin>(manifest, config, registry));
            logger.information("loaded plugin " + manifest.name + " " + manifest.version);
        } catch (const Poco::Exception& e) {
            if (optional.count(name) == 0) {
                logger.fatal(e.message());
                throw;
            }
            logger.error(e.message() + " (optional plugin skipped; the host goes on)");
            _failed.push_back(name);
        }
    }
}

void PluginSet::shutdownAll() {
    while (!_plugins.empty()) {
        _plugins.back()->shutdown();
        _plugins.pop_back();
    }
}

}  // namespace timhost
