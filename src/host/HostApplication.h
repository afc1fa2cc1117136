// timhost: loads plugins, serves their HTTP routes, runs their tasks and commands.
#pragma once

#include "HostSettings.h"
#include "KeyCheck.h"
#include "PluginRegistry.h"
#include "PluginSet.h"

#include <Poco/Util/ServerApplication.h>

#include <string>
#include <vector>

namespace timhost {

class HostApplication : public Poco::Util::ServerApplication {
  protected:
    void defineOptions(Poco::Util::OptionSet& options) override;
    int main(const std::vector<std::string>& args) override;

  private:
    void handleConfig(const std::string& name, const std::string& value);
    void handleCommand(const std::string& name, const std::string& value);
    void handleHelp(const std::string& name, const std::string& value);

    void takeConfigOption(std::vector<std::string>& commandArgs);
    void configureLogging();
    void reportConfigurationSource(const HostSettings& settings);
    std::vector<UnknownKey> checkKeys();
    int checkConfiguration(const std::vector<UnknownKey>& unknown);
    int runCommand(const std::vector<std::string>& args);
    int serve();

    bool _helpRequested = false;
    std::string _commandName;
    std::string _configFile;  // empty: no --config, nothing read
    PluginRegistry _registry;
    PluginSet _plugins;
};

}  // namespace timhost
