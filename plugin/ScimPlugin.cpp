#include "ScimPlugin.h"

#include "AbiGuard.h"
#include "ExchangeAdapter.h"

#include <Poco/Logger.h>
#include <Poco/Message.h>

namespace timplugin {
namespace {

constexpr const char* kLoggerName = "tim-scim";

// The most detailed level the host writes, so the plugin skips formatting what it drops.
int hostLogLevel(const HostBridge& host) {
    const std::pair<tim_log_level, int> levels[] = {
        {TIM_LOG_TRACE, Poco::Message::PRIO_TRACE},
        {TIM_LOG_DEBUG, Poco::Message::PRIO_DEBUG},
        {TIM_LOG_INFO, Poco::Message::PRIO_INFORMATION},
        {TIM_LOG_WARNING, Poco::Message::PRIO_WARNING},
        {TIM_LOG_ERROR, Poco::Message::PRIO_ERROR},
    };
    for (const auto& level : levels) {
        if (host.logEnabled(level.first)) {
            return level.second;
        }
    }
    return Poco::Message::PRIO_FATAL;
}

}  // namespace

ScimPlugin::ScimPlugin(tim_host* host, const tim_host_api* api)
    : _host(host, api), _channel(new HostChannel(_host)), _config(new HostConfiguration(_host)) {
    Poco::Logger& logger = Poco::Logger::get(kLoggerName);
    Poco::Logger::setChannel(kLoggerName, _channel);
    Poco::Logger::setLevel(kLoggerName, hostLogLevel(_host));

    _core = std::make_unique<api::PluginCore>(*_config, logger);
    const std::string& basePath = _core->service().settings().basePath;
    registerOrThrow(_host.registerHandler(basePath, TIM_HTTP_ANY, &ScimPlugin::handleHttp, this),
                    "the SCIM route " + basePath);
    api::PluginCore& core = *_core;
    // The first run waits a minute (or the interval, if shorter) after the host starts.
    registerOrThrow(
        _host.registerTask("scim.purge", std::min<std::uint64_t>(60000, core.purgeIntervalMs()),
                           core.purgeIntervalMs(), &ScimPlugin::runPurgeTask, this),
        "the task scim.purge");
    addCommand("scim.migrations", "list the database migrations applied so far",
               [&core](const auto&) { return core.describeMigrations(); });
    addCommand("scim.setup-identities", "create the system identities (sys.scim) if missing",
               [&core](const auto&) { return core.setupIdentities(); });
    addCommand("scim.purge.run", "purge users deleted or disabled longer ago than the retention",
               [&core](const auto&) { return core.runPurge(); });
    addCommand("scim.user.delete",
               "delete a user as TIM's UI does (restored if Entra re-creates it)",
               [&core](const std::vector<std::string>& args) {
                   if (args.size() != 1) {
                       throw Poco::InvalidArgumentException("usage: scim.user.delete ID");
                   }
                   return core.deleteUserInTim(args[0]);
               });
    addCommand(
        "scim.user.create-local",
        "create a user as TIM's own UI does (unmanaged): USERNAME [--email E] [--roles "
        "r1,r2]",
        [&core](const std::vector<std::string>& args) { return core.createLocalUser(args); });
    addCommand("scim.group.delete",
               "delete a group as TIM's UI does (restored if Entra re-creates it)",
               [&core](const std::vector<std::string>& args) {
                   if (args.size() != 1) {
                       throw Poco::InvalidArgumentException("usage: scim.group.delete ID");
                   }
                   return core.deleteGroupInTim(args[0]);
               });
    addCommand("scim.status", "counts of users, groups and tokens, and when the purge ran",
               [&core](const auto&) { return core.describeStatus(); });
    addCommand("scim.roles", "list the static roles SCIM knows and who holds each",
               [&core](const auto&) { return core.describeRoles(); });
    addCommand("scim.audit",
               "the SCIM writes to one user or group (id, userName, displayName or externalId), "
               "or --latest; an optional count (default 50)",
               [&core](const std::vector<std::string>& args) { return core.describeAudit(args); });
    addCommand("scim.token.generate", "print a new bearer token for sys.scim",
               [&core](const auto&) { return core.generateToken(); });
    addCommand("scim.token.list", "list issued bearer tokens (never the tokens themselves)",
               [&core](const auto&) { return core.listTokens(); });
    addCommand("scim.token.revoke", "revoke the bearer token with the given jti",
               [&core](const std::vector<std::string>& args) {
                   if (args.size() != 1) {
                       throw Poco::InvalidArgumentException("usage: scim.token.revoke JTI");
                   }
                   return core.revokeToken(args[0]);
               });
    logger.information("SCIM endpoints served under " + basePath + " (and " + basePath + "/v2)");
}

ScimPlugin::~ScimPlugin() {
    _core.reset();
    // The channel points at the host table, which is gone after shutdown.
    Poco::Logger::setChannel(kLoggerName, nullptr);
}

void ScimPlugin::registerOrThrow(tim_status status, const std::string& what) {
    if (status != TIM_OK) {
        throw Poco::RuntimeException("the host refused to register " + what + " (status " +
                                     std::to_string(status) + ")");
    }
}

tim_status ScimPlugin::handleHttp(void* self, tim_http_exchange* exchange) {
    auto* plugin = static_cast<ScimPlugin*>(self);
    return serveExchange(plugin->_host, exchange, [plugin](const api::Request& request) {
        return plugin->_core->service().handle(request);
    });
}

tim_status ScimPlugin::runPurgeTask(void* self) {
    auto* plugin = static_cast<ScimPlugin*>(self);
    // A failed run is logged; the next run starts over. A database that is down, restarting
    // (a cluster node rejoining) or too busy is a warning: nothing is wrong with the purge.
    return guard(plugin->_host, "scim.purge", [plugin] {
        try {
            plugin->_core->runPurge();
        } catch (const Poco::Exception& e) {
            if (!api::PluginCore::isTransient(e)) {
                throw;
            }
            plugin->_host.log(TIM_LOG_WARNING,
                              "scim.purge: skipped, the database is unavailable "
                              "or busy (" +
                                  e.displayText() + "); the next run tries again");
        }
        return TIM_OK;
    });
}

void ScimPlugin::addCommand(const char* name, const char* description,
                            std::function<std::string(const std::vector<std::string>&)> run) {
    _commands.push_back(std::make_unique<Command>(Command{this, name, std::move(run)}));
    registerOrThrow(
        _host.registerCommand(name, description, &ScimPlugin::runCommand, _commands.back().get()),
        std::string("the command ") + name);
}

tim_status ScimPlugin::runCommand(void* entry, int argc, const char* const* argv,
                                  tim_command_output* output) {
    auto* command = static_cast<Command*>(entry);
    const HostBridge& host = command->plugin->_host;
    return guard(host, command->name.c_str(), [&] {
        const std::vector<std::string> args(argv, argv + argc);
        const std::string text = command->run(args);
        return host.api().command_write(output, text.data(), text.size());
    });
}

}  // namespace timplugin
