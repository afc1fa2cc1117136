#include "LoadedPlugin.h"

#include <Poco/Exception.h>

namespace timhost {
namespace {

std::string abiText(std::uint32_t major, std::uint32_t minor) {
    return std::to_string(major) + "." + std::to_string(minor);
}

const std::string kHostAbi = abiText(TIM_PLUGIN_ABI_MAJOR, TIM_PLUGIN_ABI_MINOR);

}  // namespace

LoadedPlugin::LoadedPlugin(const PluginManifest& manifest,
                           const Poco::Util::AbstractConfiguration& config,
                           PluginRegistry& registry)
    : _manifest(manifest), _host(new tim_host) {
    const std::string who = "plugin " + _manifest.name + " " + _manifest.version;
    if (_manifest.abiMajor != TIM_PLUGIN_ABI_MAJOR || _manifest.abiMinor > TIM_PLUGIN_ABI_MINOR) {
        throw Poco::ApplicationException(
            who + " needs plugin ABI " + abiText(_manifest.abiMajor, _manifest.abiMinor) +
            " but this host supports ABI " + kHostAbi + "; install a plugin build for ABI " +
            kHostAbi + " or a matching host");
    }
    try {
        _library.load(_manifest.libraryPath);
    } catch (const Poco::Exception& e) {
        throw Poco::LibraryLoadException(who + ": cannot load " + _manifest.libraryPath + ": " +
                                         e.message());
    }
    checkLibraryAbi();

    const auto init = reinterpret_cast<tim_plugin_init_fn>(symbol(_manifest.initSymbol));
    _shutdown = reinterpret_cast<tim_plugin_shutdown_fn>(symbol(_manifest.shutdownSymbol));

    _host->pluginName = _manifest.name;
    _host->logger = &Poco::Logger::get("plugin." + _manifest.name);
    _host->config = &config;
    _host->registry = &registry;
    _host->registrationOpen = true;
    const tim_status status = init(_host.get(), &hostApi(), &_pluginData);
    _host->registrationOpen = false;
    if (status != TIM_OK) {
        registry.removePlugin(_manifest.name);
        const std::string reason = _host->error.empty()
                                       ? "no reason given (status " + std::to_string(status) + ")"
                                       : _host->error;
        throw Poco::ApplicationException(who + " failed to start: " + reason);
    }
    _running = true;
}

LoadedPlugin::~LoadedPlugin() {
    shutdown();
}

void LoadedPlugin::shutdown() {
    if (_running) {
        _running = false;
        _shutdown(_pluginData);
    }
}

void* LoadedPlugin::symbol(const std::string& name) {
    if (!_library.hasSymbol(name)) {
        throw Poco::NotFoundException("plugin " + _manifest.name + ": " + _manifest.libraryPath +
                                      " does not export " + name);
    }
    return _library.getSymbol(name);
}

void LoadedPlugin::checkLibraryAbi() {
    const auto abiVersion =
        reinterpret_cast<tim_plugin_abi_version_fn>(symbol(_manifest.abiVersionSymbol))();
    const std::uint32_t major = abiVersion >> 16;
    const std::uint32_t minor = abiVersion & 0xFFFFu;
    if (major != _manifest.abiMajor || minor != _manifest.abiMinor) {
        throw Poco::ApplicationException(
            "plugin " + _manifest.name + ": the library reports ABI " + abiText(major, minor) +
            " but its manifest.json says " + abiText(_manifest.abiMajor, _manifest.abiMinor) +
            " (this host supports ABI " + kHostAbi + "); reinstall the plugin");
    }
    const auto fingerprint =
        reinterpret_cast<tim_plugin_build_fingerprint_fn>(symbol(_manifest.fingerprintSymbol))();
    if (fingerprint == nullptr || std::string(fingerprint) != TIM_PLUGIN_BUILD_FINGERPRINT) {
        throw Poco::ApplicationException("plugin " + _manifest.name +
                                         " is not binary compatible: built as \"" +
                                         (fingerprint ? fingerprint : "") + "\", this host is \"" +
                                         TIM_PLUGIN_BUILD_FINGERPRINT + "\"");
    }
}

}  // namespace timhost
