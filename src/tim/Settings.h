// Every tim.properties key the plugin reads, with its default and meaning. The catalogue is
// generated from manifest.json's "properties" (its one home); reading a key that is not
// there is an error, so the manifest cannot miss a key the code reads.
#pragma once

#include <Poco/Util/AbstractConfiguration.h>

#include <string>
#include <vector>

namespace tim {

struct SettingDefinition {
    const char* key;
    const char* defaultValue;  // "" means unset; the description says what that implies
    const char* description;
};

// Generated at build time from manifest.json.
const std::vector<SettingDefinition>& settingDefinitions();

// Typed reads of catalogued keys. A key missing from the catalogue is a programming error
// (Poco::NotFoundException); a malformed value throws Poco::InvalidArgumentException naming
// the key.
class Settings {
  public:
    explicit Settings(const Poco::Util::AbstractConfiguration& config) : _config(config) {}

    std::string string(const std::string& key) const;
    int integer(const std::string& key, int min, int max) const;
    bool boolean(const std::string& key) const;  // true or false, any case

  private:
    const Poco::Util::AbstractConfiguration& _config;
};

}  // namespace tim
