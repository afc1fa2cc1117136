// Serves one host HTTP exchange with a C++ handler: builds the app::Exchange, writes the
// app::Answer, and is the exception firewall of every HTTP call into the plugin.
#pragma once

#include "HostBridge.h"
#include "app/PluginCore.h"

#include <functional>

namespace timplugin {

using RequestHandler = std::function<app::Answer(const app::Exchange&)>;

// Never throws. Anything the handler throws is logged and answered with a 500 SCIM error;
// the body is read only when the handler asks for it.
tim_status serveExchange(const HostBridge& host, tim_http_exchange* exchange,
                         const RequestHandler& handler) noexcept;

}  // namespace timplugin
