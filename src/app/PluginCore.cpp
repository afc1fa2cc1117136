#include "PluginCore.h"

#include "AdminCommands.h"
#include "Components.h"

#include "port/StoreErrors.h"

#include <Poco/Exception.h>

namespace app {

PluginCore::PluginCore(const Poco::Util::AbstractConfiguration& config, Poco::Logger& logger)
    : _components(std::make_unique<Components>(config, logger)) {}

PluginCore::~PluginCore() = default;

api::Response PluginCore::handle(const api::Request& request) const noexcept {
    return _components->service->handle(request);
}

const std::string& PluginCore::basePath() const {
    return _components->service->settings().basePath;
}

std::uint64_t PluginCore::purgeIntervalMs() const {
    return _components->purgeIntervalMs;
}

void PluginCore::runScheduledPurge() {
    try {
        runCommand("scim.purge.run", {});
    } catch (const port::Unavailable& e) {
        // Nothing is wrong with the purge: the next run tries again.
        _components->logger.warning(
            std::string("scim.purge: skipped, the database is unavailable or busy (") + e.what() +
            "); the next run tries again");
    }
}

std::vector<PluginCore::CommandInfo> PluginCore::commands() {
    std::vector<CommandInfo> infos;
    for (const auto& command : adminCommands()) {
        infos.push_back({command.name, command.description});
    }
    return infos;
}

std::string PluginCore::runCommand(const std::string& name, const std::vector<std::string>& args) {
    for (const auto& command : adminCommands()) {
        if (name == command.name) {
            return command.run(*_components, args);
        }
    }
    throw Poco::NotFoundException("no admin command " + name);
}

}  // namespace app
