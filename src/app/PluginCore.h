// The plugin's C++ core as the C glue (plugin/) sees it: built from the host's configuration,
// it serves SCIM requests, runs the purge task and the admin commands. Knows nothing of the
// C ABI; what it is made of stays behind this header.
#pragma once

#include "api/Http.h"

#include <Poco/Logger.h>
#include <Poco/Util/AbstractConfiguration.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace app {

struct Components;

class PluginCore {
  public:
    // Throws Poco::Exception with a message an operator can act on (bad setting, database
    // unreachable, migration failed).
    PluginCore(const Poco::Util::AbstractConfiguration& config, Poco::Logger& logger);
    ~PluginCore();

    PluginCore(const PluginCore&) = delete;
    PluginCore& operator=(const PluginCore&) = delete;

    // Never throws: every failure becomes a SCIM error response (api::ScimService::handle).
    api::Response handle(const api::Request& request) const noexcept;

    // The path the SCIM endpoints are served under (scim.basePath).
    const std::string& basePath() const;

    // How often the host runs the purge task (scim.purge.intervalSeconds).
    std::uint64_t purgeIntervalMs() const;

    // The purge as the host's task runs it: a database that is down, restarting (a cluster
    // node rejoining) or too busy is a warning, not a failure.
    void runScheduledPurge();

    struct CommandInfo {
        std::string name;
        std::string description;
    };
    // The admin commands (app/AdminCommands.h), in the order the manifest lists them.
    static std::vector<CommandInfo> commands();

    // Runs the admin command `name`: what it prints. Throws Poco::NotFoundException for an
    // unknown name, Poco::Exception with a message for the operator otherwise.
    std::string runCommand(const std::string& name, const std::vector<std::string>& args);

  private:
    std::unique_ptr<Components> _components;
};

}  // namespace app
