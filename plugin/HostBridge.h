// The plugin's C++ view of the host services table, plus the Poco adapters over it: a
// Channel that logs through the host and a Configuration that reads the host's properties.
#pragma once

#include <tim/plugin_api.h>

#include <Poco/Channel.h>
#include <Poco/Util/AbstractConfiguration.h>

#include <optional>
#include <string>

namespace timplugin {

class HostBridge {
  public:
    HostBridge(tim_host* host, const tim_host_api* api) : _host(host), _api(api) {}

    // Fails with a message naming both versions when the host's table is not one this
    // plugin can use; "" when it can.
    static std::string incompatibility(const tim_host_api* api);

    std::optional<std::string> property(const std::string& key) const;
    void log(tim_log_level level, const std::string& message) const;
    bool logEnabled(tim_log_level level) const;
    void setError(const std::string& message) const;

    tim_status registerHandler(const std::string& prefix, std::uint32_t methods,
                               tim_http_handler_fn handle, void* userData) const;
    tim_status registerTask(const char* name, std::uint64_t firstDelayMs, std::uint64_t intervalMs,
                            tim_task_fn run, void* userData) const;
    tim_status registerCommand(const char* name, const char* description, tim_command_fn run,
                               void* userData) const;

    const tim_host_api& api() const { return *_api; }

  private:
    tim_host* _host;
    const tim_host_api* _api;
};

// Poco log messages of the plugin's loggers, sent to the host's log.
class HostChannel : public Poco::Channel {
  public:
    explicit HostChannel(const HostBridge& host) : _host(host) {}
    void log(const Poco::Message& message) override;

  private:
    const HostBridge& _host;
};

// tim.properties as the host sees it. Read-only; keys cannot be enumerated.
class HostConfiguration : public Poco::Util::AbstractConfiguration {
  public:
    explicit HostConfiguration(const HostBridge& host) : _host(host) {}

  protected:
    bool getRaw(const std::string& key, std::string& value) const override;
    void setRaw(const std::string& key, const std::string& value) override;
    void enumerate(const std::string& key, Keys& range) const override;

  private:
    const HostBridge& _host;
};

}  // namespace timplugin
