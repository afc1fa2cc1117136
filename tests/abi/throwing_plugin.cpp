// A C++ plugin whose handler throws, served through the same exception firewall as
// libtim-scim.so (plugin/ExchangeAdapter): the client must get a 500 SCIM error.
#include "ExchangeAdapter.h"

#include <tim/plugin_api.h>

#include <memory>
#include <stdexcept>

namespace {

std::unique_ptr<timplugin::HostBridge> bridge;

tim_status handleThrow(void*, tim_http_exchange* exchange) {
    return timplugin::serveExchange(
        *bridge, exchange, [](const app::Exchange& request) -> app::Answer {
            if (request.query == "int") {
                throw 42;  // not even a std::exception
            }
            throw std::runtime_error("handler exploded with a secret internal detail");
        });
}

}  // namespace

TIM_PLUGIN_DECLARE_ABI()

extern "C" {

TIM_PLUGIN_EXPORT tim_status tim_plugin_init(tim_host* host, const tim_host_api* api, void**) {
    bridge = std::make_unique<timplugin::HostBridge>(host, api);
    return bridge->registerHandler("/throw", TIM_HTTP_ANY, handleThrow, nullptr);
}

TIM_PLUGIN_EXPORT void tim_plugin_shutdown(void*) {
    bridge.reset();
}

}  // extern "C"
