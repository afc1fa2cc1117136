/* Claims an ABI the host does not have, while its manifest.json claims the right one. */
#include <tim/plugin_api.h>

TIM_PLUGIN_EXPORT uint32_t tim_plugin_abi_version(void) {
    return (uint32_t)(99u << 16);
}

TIM_PLUGIN_EXPORT const char* tim_plugin_build_fingerprint(void) {
    return TIM_PLUGIN_BUILD_FINGERPRINT;
}

TIM_PLUGIN_EXPORT tim_status tim_plugin_init(tim_host* host, const tim_host_api* api,
                                             void** out_plugin_data) {
    (void)host;
    (void)api;
    (void)out_plugin_data;
    return TIM_OK; /* must never be reached */
}

TIM_PLUGIN_EXPORT void tim_plugin_shutdown(void* plugin_data) {
    (void)plugin_data;
}
