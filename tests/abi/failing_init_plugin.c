/* Registers a route, then fails its init: the host must drop the route and say why. */
#include <tim/plugin_api.h>

#include <string.h>

static tim_status never_called(void* user_data, tim_http_exchange* exchange) {
    (void)user_data;
    (void)exchange;
    return TIM_OK;
}

TIM_PLUGIN_DECLARE_ABI()

TIM_PLUGIN_EXPORT tim_status tim_plugin_init(tim_host* host, const tim_host_api* api,
                                             void** out_plugin_data) {
    static const char reason[] = "cannot reach the database at db.example:3306";
    tim_http_handler_desc route = {sizeof route, "/failing", TIM_HTTP_ANY,
                                   never_called, NULL,       NULL};
    (void)out_plugin_data;
    api->register_http_handler(host, &route);
    api->set_error(host, reason, strlen(reason));
    return TIM_ERR_INTERNAL;
}

TIM_PLUGIN_EXPORT void tim_plugin_shutdown(void* plugin_data) {
    (void)plugin_data;
}
