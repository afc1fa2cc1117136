// Serves one host HTTP exchange with a C++ handler: builds the api::Request, writes the
// api::Response, and is the exception firewall of every HTTP call into the plugin.
#pragma once

#include "HostBridge.h"
#include "api/Http.h"

#include <functional>

namespace timplugin {

using RequestHandler = std::function<api::Response(const api::Request&)>;

// Never throws. Anything the handler throws is logged and answered with a 500 SCIM error;
// the body is read only when the handler asks for it.
tim_status serveExchange(const HostBridge& host, tim_http_exchange* exchange,
                         const RequestHandler& handler) noexcept;

}  // namespace timplugin
