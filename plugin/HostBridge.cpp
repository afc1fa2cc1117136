#include "HostBridge.h"

#include "app/PluginCore.h"

#include <Poco/Exception.h>
#include <Poco/Message.h>

#include <cstddef>
#include <vector>

namespace timplugin {

std::string HostBridge::incompatibility(const tim_host_api* api) {
    const std::string mine =
        std::to_string(TIM_PLUGIN_ABI_MAJOR) + "." + std::to_string(TIM_PLUGIN_ABI_MINOR);
    if (api == nullptr) {
        return "the host passed no services table";
    }
    const std::string theirs =
        std::to_string(api->abi_major) + "." + std::to_string(api->abi_minor);
    if (api->abi_major != TIM_PLUGIN_ABI_MAJOR) {
        return "host ABI " + theirs + " is not compatible with plugin ABI " + mine;
    }
    // Every service this plugin calls must lie inside the table the host filled.
    if (api->struct_size < offsetof(tim_host_api, command_write) + sizeof(api->command_write)) {
        return "host ABI " + theirs + " passed a services table too small for plugin ABI " + mine;
    }
    return "";
}

std::optional<std::string> HostBridge::property(const std::string& key) const {
    std::vector<char> buffer(256);
    std::size_t length = 0;
    tim_status status =
        _api->get_property(_host, key.data(), key.size(), buffer.data(), buffer.size(), &length);
    if (status == TIM_ERR_BUFFER_TOO_SMALL) {
        buffer.resize(length);
        status = _api->get_property(_host, key.data(), key.size(), buffer.data(), buffer.size(),
                                    &length);
    }
    if (status == TIM_ERR_NOT_FOUND) {
        return std::nullopt;
    }
    if (status != TIM_OK) {
        throw Poco::RuntimeException("the host failed to read property " + key);
    }
    return std::string(buffer.data(), length);
}

// Every line the plugin logs, and every error it hands the host, passes here: no database
// password leaves it, however an exception quoted a connection string.
void HostBridge::log(tim_log_level level, const std::string& message) const {
    const std::string text = app::PluginCore::withoutPasswords(message);
    _api->log(_host, level, text.data(), text.size());
}

bool HostBridge::logEnabled(tim_log_level level) const {
    return _api->log_enabled(_host, level) != 0;
}

void HostBridge::setError(const std::string& message) const {
    const std::string text = app::PluginCore::withoutPasswords(message);
    _api->set_error(_host, text.data(), text.size());
}

tim_status HostBridge::registerHandler(const std::string& prefix, std::uint32_t methods,
                                       tim_http_handler_fn handle, void* userData) const {
    // Every answer of this glue is a SCIM error; the host's own errors for the route match it.
    tim_http_handler_desc desc{
        sizeof(tim_http_handler_desc),    prefix.c_str(), methods, handle, userData,
        app::PluginCore::errorMediaType()};
    return _api->register_http_handler(_host, &desc);
}

tim_status HostBridge::registerTask(const char* name, std::uint64_t firstDelayMs,
                                    std::uint64_t intervalMs, tim_task_fn run,
                                    void* userData) const {
    tim_task_desc desc{sizeof(tim_task_desc), name, firstDelayMs, intervalMs, run, userData};
    return _api->register_task(_host, &desc);
}

tim_status HostBridge::registerCommand(const char* name, const char* description,
                                       tim_command_fn run, void* userData) const {
    tim_command_desc desc{sizeof(tim_command_desc), name, description, run, userData};
    return _api->register_command(_host, &desc);
}

namespace {

tim_log_level toLevel(Poco::Message::Priority priority) {
    switch (priority) {
        case Poco::Message::PRIO_FATAL:
            return TIM_LOG_FATAL;
        case Poco::Message::PRIO_CRITICAL:
        case Poco::Message::PRIO_ERROR:
            return TIM_LOG_ERROR;
        case Poco::Message::PRIO_WARNING:
            return TIM_LOG_WARNING;
        case Poco::Message::PRIO_NOTICE:
        case Poco::Message::PRIO_INFORMATION:
            return TIM_LOG_INFO;
        case Poco::Message::PRIO_DEBUG:
            return TIM_LOG_DEBUG;
        case Poco::Message::PRIO_TRACE:
            return TIM_LOG_TRACE;
    }
    return TIM_LOG_INFO;
}

}  // namespace

void HostChannel::log(const Poco::Message& message) {
    const std::string& requestId = app::PluginCore::currentRequestId();
    _host.log(toLevel(message.getPriority()),
              requestId.empty() ? message.getText() : "[" + requestId + "] " + message.getText());
}

bool HostConfiguration::getRaw(const std::string& key, std::string& value) const {
    const auto found = _host.property(key);
    if (found) {
        value = *found;
    }
    return found.has_value();
}

void HostConfiguration::setRaw(const std::string& key, const std::string&) {
    throw Poco::NotImplementedException("the host configuration is read-only: " + key);
}

void HostConfiguration::enumerate(const std::string&, Keys& range) const {
    range.clear();
}

}  // namespace timplugin
