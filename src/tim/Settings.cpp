#include "Settings.h"

#include <Poco/Exception.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>

namespace tim {

namespace {

const SettingDefinition& definition(const std::string& key) {
    for (const auto& d : settingDefinitions()) {
        if (key == d.key) {
            return d;
        }
    }
    throw Poco::NotFoundException("setting not in the catalogue: " + key);
}

}  // namespace

std::string Settings::string(const std::string& key) const {
    return _config.getString(key, definition(key).defaultValue);
}

int Settings::integer(const std::string& key, int min, int max) const {
    const std::string text = string(key);
    int value = 0;
    if (!Poco::NumberParser::tryParse(text, value) || value < min || value > max) {
        throw Poco::InvalidArgumentException(key + " must be a whole number from " +
                                             std::to_string(min) + " to " + std::to_string(max) +
                                             ", not \"" + text + "\"");
    }
    return value;
}

bool Settings::boolean(const std::string& key) const {
    const std::string text = string(key);
    const std::string value = Poco::toLower(Poco::trim(text));
    if (value != "true" && value != "false") {
        throw Poco::InvalidArgumentException(key + " must be true or false, not \"" + text + "\"");
    }
    return value == "true";
}

}  // namespace tim
