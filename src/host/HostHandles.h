// The host's definitions of the opaque ABI handles.
#pragma once

#include "ClientView.h"
#include "HttpMessage.h"
#include "PluginRegistry.h"

#include <tim/plugin_api.h>

#include <Poco/Logger.h>
#include <Poco/Util/AbstractConfiguration.h>

#include <cstddef>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

// One per loaded plugin; lives as long as the process (the library is never unloaded).
struct tim_host {
    std::string pluginName;
    Poco::Logger* logger = nullptr;
    const Poco::Util::AbstractConfiguration* config = nullptr;
    timhost::PluginRegistry* registry = nullptr;
    bool registrationOpen = false;  // only during tim_plugin_init
    std::string error;              // set_error's last message
};

// One per request; lives on the worker thread's stack for the handler call.
struct tim_http_exchange {
    tim_http_exchange(timhost::IncomingRequest& request, std::string path, std::string query,
                      timhost::ClientView client, std::size_t maxBodyBytes)
        : request(request),
          path(std::move(path)),
          query(std::move(query)),
          client(std::move(client)),
          maxBodyBytes(maxBodyBytes) {}

    timhost::IncomingRequest& request;
    const std::string path;
    const std::string query;
    const timhost::ClientView client;
    const std::size_t maxBodyBytes;
    std::size_t bodyBytesRead = 0;
    bool bodyComplete = false;
    bool bodyTooLarge = false;
    bool bodyIncomplete = false;  // the client failed, stalled or closed part-way

    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};

struct tim_command_output {
    std::ostream& out;
};

namespace timhost {

// The services table every plugin receives.
const tim_host_api& hostApi();

}  // namespace timhost
