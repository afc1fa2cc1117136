// The only symbols libtim-scim.so exports. Each catches everything: no exception crosses the
// ABI, and a failure reaches the operator through the host's set_error.
#include "AbiGuard.h"
#include "ScimPlugin.h"

#include <tim/plugin_api.h>

TIM_PLUGIN_DECLARE_ABI()

extern "C" {

TIM_PLUGIN_EXPORT tim_status tim_plugin_init(tim_host* host, const tim_host_api* api,
                                             void** out_plugin_data) {
    const std::string incompatible = timplugin::HostBridge::incompatibility(api);
    if (!incompatible.empty()) {
        if (api != nullptr && api->abi_major == TIM_PLUGIN_ABI_MAJOR && api->set_error) {
            api->set_error(host, incompatible.data(), incompatible.size());
        }
        return TIM_ERR_STATE;
    }
    if (out_plugin_data == nullptr) {
        return TIM_ERR_INVALID_ARGUMENT;
    }
    const timplugin::HostBridge bridge(host, api);
    try {
        *out_plugin_data = new timplugin::ScimPlugin(host, api);
        return TIM_OK;
    } catch (...) {
        try {
            bridge.setError(timplugin::currentExceptionText());
        } catch (...) {
        }
        return TIM_ERR_INTERNAL;
    }
}

TIM_PLUGIN_EXPORT void tim_plugin_shutdown(void* plugin_data) {
    auto* plugin = static_cast<timplugin::ScimPlugin*>(plugin_data);
    try {
        delete plugin;
    } catch (...) {
        // Destructors do not throw; this only keeps the promise that nothing crosses.
    }
}

}  // extern "C"
