/* The HTTP + ABI ceiling: a plugin that answers every request with a fixed 300-byte body
 * through the same host and ABI as tim-scim. */
#include <tim/plugin_api.h>

#include <string.h>

static const tim_host_api* g_api;
static char g_body[301];

static tim_status handle(void* user_data, tim_http_exchange* exchange) {
    (void)user_data;
    g_api->response_set_header(exchange, "Content-Type", 12, "application/scim+json", 21);
    g_api->response_write(exchange, g_body, 300);
    return TIM_OK;
}

TIM_PLUGIN_DECLARE_ABI()

TIM_PLUGIN_EXPORT tim_status tim_plugin_init(tim_host* host, const tim_host_api* api,
                                             void** out_plugin_data) {
    tim_http_handler_desc route = {sizeof route, "/noop", TIM_HTTP_ANY, handle, NULL, NULL};
    g_api = api;
    memset(g_body, 'x', 300);
    g_body[0] = '{';
    g_body[299] = '}';
    *out_plugin_data = NULL;
    return api->register_http_handler(host, &route);
}

TIM_PLUGIN_EXPORT void tim_plugin_shutdown(void* plugin_data) {
    (void)plugin_data;
}
