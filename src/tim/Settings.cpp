#include "Settings.h"

#include <Poco/Exception.h>
#include <Poco/NumberParser.h>

namespace tim {

const std::vector<SettingDefinition>& settingDefinitions() {
    static const std::vector<SettingDefinition> definitions = {
        {"scim.basePath", "/tim/api/scim",
         "URL path the SCIM endpoints are served under (also reachable with a trailing /v2)"},
        {"scim.publicUrl", "",
         "Absolute base URL clients use (e.g. https://tim.example.com/tim/api/scim), for "
         "meta.location; empty: built from the request's Host header and basePath"},
        {"scim.maxResults", "200", "Most resources one list or search response returns"},
        {"scim.db.connector", "sqlite", "Database engine: sqlite or mysql (MySQL/MariaDB)"},
        {"scim.db.file", "", "SQLite database file; empty: tim-scim.db in the host's data.dir"},
        {"scim.db.sqlite.synchronous", "NORMAL",
         "SQLite synchronous mode in WAL: NORMAL (fast, never corrupts) or FULL (durable "
         "on power loss)"},
        {"scim.db.sqlite.busyTimeoutMs", "5000",
         "How long an SQLite writer waits for the write lock before failing, in ms"},
        {"scim.db.host", "127.0.0.1", "MySQL/MariaDB server host"},
        {"scim.db.port", "3306", "MySQL/MariaDB server port"},
        {"scim.db.name", "tim", "MySQL/MariaDB database (schema) name"},
        {"scim.db.user", "tim", "MySQL/MariaDB user"},
        {"scim.db.password", "", "MySQL/MariaDB password (never logged)"},
        {"scim.db.pool.min", "1", "Database sessions kept open when idle"},
        {"scim.db.pool.max", "32",
         "Most database sessions at once; a request that finds none free gets 503"},
        {"scim.db.pool.idleSeconds", "60", "Seconds an idle pooled session stays open"},
        {"data.dir", "",
         "The host's data directory (set by the host); holds the default SQLite file"},
    };
    return definitions;
}

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

}  // namespace tim
