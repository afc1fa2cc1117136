#include "PluginManifest.h"

#include <tim/plugin_api.h>

#include <Poco/Exception.h>
#include <Poco/FileStream.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Path.h>

namespace timhost {
namespace {

using Poco::JSON::Object;

std::string requiredString(const Object& object, const std::string& field,
                           const std::string& file) {
    if (!object.has(field) || !object.get(field).isString() ||
        object.getValue<std::string>(field).empty()) {
        throw Poco::DataFormatException(file + ": \"" + field + "\" must be a non-empty string");
    }
    return object.getValue<std::string>(field);
}

std::uint32_t requiredUnsigned(const Object& object, const std::string& field,
                               const std::string& file) {
    if (!object.has(field) || !object.get(field).isInteger()) {
        throw Poco::DataFormatException(file + ": \"" + field + "\" must be a whole number");
    }
    const auto value = object.getValue<Poco::Int64>(field);
    if (value < 0 || value > 0xFFFF) {
        throw Poco::DataFormatException(file + ": \"" + field + "\" is out of range");
    }
    return static_cast<std::uint32_t>(value);
}

std::string optionalString(const Object::Ptr& object, const std::string& field,
                           const std::string& fallback) {
    if (object && object->has(field) && object->get(field).isString()) {
        return object->getValue<std::string>(field);
    }
    return fallback;
}

}  // namespace

PluginManifest PluginManifest::load(const std::string& manifestPath) {
    Poco::Dynamic::Var parsed;
    try {
        Poco::FileInputStream in(manifestPath);
        parsed = Poco::JSON::Parser().parse(in);
    } catch (const Poco::FileException& e) {
        throw Poco::DataFormatException(manifestPath + ": cannot read: " + e.message());
    } catch (const Poco::Exception& e) {
        throw Poco::DataFormatException(manifestPath + ": not valid JSON: " + e.message());
    }
    if (parsed.type() != typeid(Object::Ptr) || !parsed.extract<Object::Ptr>()) {
        throw Poco::DataFormatException(manifestPath + ": the top level must be an object");
    }
    const Object::Ptr root = parsed.extract<Object::Ptr>();

    PluginManifest manifest;
    manifest.name = requiredString(*root, "name", manifestPath);
    manifest.version = requiredString(*root, "version", manifestPath);
    const Object::Ptr abi = root->getObject("abi");
    if (!abi) {
        throw Poco::DataFormatException(manifestPath + ": \"abi\" must be an object");
    }
    manifest.abiMajor = requiredUnsigned(*abi, "major", manifestPath);
    manifest.abiMinor = requiredUnsigned(*abi, "minor", manifestPath);

    const std::string library = requiredString(*root, "library", manifestPath);
    Poco::Path libraryPath(library);
    if (libraryPath.isAbsolute() || library.find("..") != std::string::npos) {
        throw Poco::DataFormatException(manifestPath +
                                        ": \"library\" must be a file name in the manifest's "
                                        "directory");
    }
    manifest.libraryPath =
        Poco::Path(Poco::Path(manifestPath).absolute().parent(), libraryPath).toString();

    const Object::Ptr entry = root->getObject("entry");
    manifest.initSymbol = optionalString(entry, "init", TIM_PLUGIN_INIT_SYMBOL);
    manifest.shutdownSymbol = optionalString(entry, "shutdown", TIM_PLUGIN_SHUTDOWN_SYMBOL);
    manifest.abiVersionSymbol = optionalString(entry, "abiVersion", TIM_PLUGIN_ABI_VERSION_SYMBOL);
    manifest.fingerprintSymbol =
        optionalString(entry, "buildFingerprint", TIM_PLUGIN_BUILD_FINGERPRINT_SYMBOL);
    if (const Poco::JSON::Array::Ptr properties = root->getArray("properties")) {
        for (std::size_t i = 0; i < properties->size(); ++i) {
            const Object::Ptr property = properties->getObject(static_cast<unsigned>(i));
            if (!property) {
                throw Poco::DataFormatException(manifestPath +
                                                ": each of \"properties\" must be an object");
            }
            manifest.settingKeys.push_back(requiredString(*property, "key", manifestPath));
        }
    }
    return manifest;
}

}  // namespace timhost
