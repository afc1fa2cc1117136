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
    registerOrThrow(
        _host.registerCommand("scim.migrations", "list the database migrations applied so far",
                              &ScimPlugin::migrationsCommand, this),
        "the command scim.migrations");
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

tim_status ScimPlugin::migrationsCommand(void* self, int, const char* const*,
                                         tim_command_output* output) {
    auto* plugin = static_cast<ScimPlugin*>(self);
    return guard(plugin->_host, "scim.migrations", [&] {
        const std::string text = plugin->_core->describeMigrations();
        return plugin->_host.api().command_write(output, text.data(), text.size());
    });
}

}  // namespace timplugin
