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

    _core = std::make_unique<app::PluginCore>(*_config, logger);
    const std::string& basePath = _core->basePath();
    registerOrThrow(_host.registerHandler(basePath, TIM_HTTP_ANY, &ScimPlugin::handleHttp, this),
                    "the SCIM route " + basePath);
    app::PluginCore& core = *_core;
    // The first run waits a minute (or the interval, if shorter) after the host starts.
    registerOrThrow(
        _host.registerTask("scim.purge", std::min<std::uint64_t>(60000, core.purgeIntervalMs()),
                           core.purgeIntervalMs(), &ScimPlugin::runPurgeTask, this),
        "the task scim.purge");
    for (const auto& command : app::PluginCore::commands()) {
        addCommand(command.name, command.description,
                   [&core, name = command.name](const std::vector<std::string>& args) {
                       return core.runCommand(name, args);
                   });
    }
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
    return serveExchange(plugin->_host, exchange, [plugin](const app::Exchange& request) {
        return plugin->_core->handle(request);
    });
}

tim_status ScimPlugin::runPurgeTask(void* self) {
    auto* plugin = static_cast<ScimPlugin*>(self);
    // A failed run is logged; the next run starts over.
    return guard(plugin->_host, "scim.purge", [plugin] {
        plugin->_core->runScheduledPurge();
        return TIM_OK;
    });
}

void ScimPlugin::addCommand(const std::string& name, const std::string& description,
                            std::function<std::string(const std::vector<std::string>&)> run) {
    _commands.push_back(std::make_unique<Command>(Command{this, name, std::move(run)}));
    registerOrThrow(_host.registerCommand(name.c_str(), description.c_str(),
                                          &ScimPlugin::runCommand, _commands.back().get()),
                    "the command " + name);
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
