// What a host learns from a plugin's manifest.json before it loads the library.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace timhost {

struct PluginManifest {
    std::string name;
    std::string version;
    std::uint32_t abiMajor = 0;
    std::uint32_t abiMinor = 0;
    std::string libraryPath;  // absolute: the manifest's directory + "library"
    std::string initSymbol;
    std::string shutdownSymbol;
    std::string abiVersionSymbol;
    std::string fingerprintSymbol;
    std::vector<std::string> settingKeys;  // "properties": the tim.properties keys it reads

    // Reads and validates manifestPath. Throws Poco::DataFormatException with the file name
    // and the missing or malformed field.
    static PluginManifest load(const std::string& manifestPath);
};

}  // namespace timhost
