#include "HttpFrontend.h"

#include "ClientView.h"
#include "HostErrors.h"
#include "HostHandles.h"

#include <Poco/Logger.h>

namespace timhost {
namespace {

Poco::Logger& logger() {
    return Poco::Logger::get("timhost.http");
}

// True when the request carries a body that nobody has read to its end.
bool bodyLeftUnread(const ServerRequest& request, bool bodyComplete) {
    return !bodyComplete &&
           (request.chunked() || (request.hasContentLength() && request.getContentLength64() > 0));
}

void splitUri(const std::string& uri, std::string& path, std::string& query) {
    const auto mark = uri.find('?');
    path = uri.substr(0, mark);
    query = mark == std::string::npos ? "" : uri.substr(mark + 1);
    const auto fragment = query.find('#');
    if (fragment != std::string::npos) {
        query.erase(fragment);
    }
}

void send(const tim_http_exchange& exchange, const ServerRequest& request,
          Poco::Net::HTTPServerResponse& response) {
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(exchange.status));
    for (const auto& header : exchange.headers) {
        response.set(header.first, header.second);
    }
    response.setContentLength(static_cast<std::streamsize>(exchange.body.size()));
    std::ostream& out = response.send();
    if (request.getMethod() != "HEAD") {
        out.write(exchange.body.data(), static_cast<std::streamsize>(exchange.body.size()));
    }
    out.flush();  // before a lingering close shuts the write side
}

void fail(Poco::Net::HTTPServerResponse& response, const std::string& reason,
          const std::string& mediaType) noexcept {
    try {
        logger().error("request failed: " + reason);
        if (!response.sent()) {
            response.setKeepAlive(false);
            sendHostError(response, 500, "Internal server error", mediaType);
        }
    } catch (...) {
        // The client is gone; the connection closes.
    }
}

std::string servedPaths(const PluginRegistry& registry) {
    std::string paths;
    for (const auto& route : registry.routes()) {
        paths += (paths.empty() ? "" : ", ") + route.prefix + " (" + route.pluginName + ")";
    }
    return paths.empty() ? "nothing (no plugin is loaded)" : paths;
}

}  // namespace

RequestRouter::RequestRouter(const PluginRegistry& registry, const HttpSettings& settings)
    : _registry(registry),
      _settings(settings),
      _unrouted(std::make_unique<UnroutedLog>(servedPaths(registry))) {}

void RequestRouter::serve(ServerRequest& request,
                          Poco::Net::HTTPServerResponse& response) const noexcept {
    try {
        route(request, response);
    } catch (const std::exception& e) {
        fail(response, e.what(), kDefaultErrorMediaType);
    } catch (...) {
        fail(response, "unknown exception", kDefaultErrorMediaType);
    }
}

std::string RequestRouter::errorMediaTypeFor(const std::string& path) const {
    const Route* route = _registry.matchRoute(path);
    return route != nullptr ? route->errorMediaType : kDefaultErrorMediaType;
}

void RequestRouter::route(ServerRequest& request, Poco::Net::HTTPServerResponse& response) const {
    std::string path;
    std::string query;
    splitUri(request.getURI(), path, query);

    const Route* route = _registry.matchRoute(path);
    const std::string mediaType = route != nullptr ? route->errorMediaType : kDefaultErrorMediaType;
    if (request.hasContentLength() &&
        request.getContentLength64() > static_cast<Poco::Int64>(_settings.maxBodyBytes)) {
        refuseBody(request, response, mediaType);
        return;
    }
    if (route == nullptr) {
        _unrouted->note(request.getMethod(), path,
                        clientViewOf(request, request.clientAddress().host().toString(),
                                     request.secure(), request.serverAddress().toString(),
                                     _settings.trustedProxies, _settings.allowedHosts)
                            .address);
        answerAndClose(request, response, 404, "No resource at " + path, mediaType);
        return;
    }
    if ((methodBit(request.getMethod()) & route->methods) == 0) {
        response.set("Allow", allowHeader(route->methods));
        answerAndClose(request, response, 405,
                       "Method " + request.getMethod() + " is not allowed here", mediaType);
        return;
    }

    tim_http_exchange exchange(request, path, query,
                               clientViewOf(request, request.clientAddress().host().toString(),
                                            request.secure(), request.serverAddress().toString(),
                                            _settings.trustedProxies, _settings.allowedHosts),
                               _settings.maxBodyBytes);
    const tim_status status = route->handle(route->userData, &exchange);
    request.bodyEnded();  // whatever the plugin left unread, its deadline is over
    if (status == TIM_ERR_TOO_LARGE) {
        refuseBody(request, response, mediaType);  // a plugin that leaves the 413 to the host
        return;
    }
    if (status != TIM_OK) {
        fail(response, "plugin " + route->pluginName + " returned status " + std::to_string(status),
             mediaType);
        return;
    }
    // The body is the plugin's to read: what it left (a refused token, a 413 of its own, a
    // body that broke off) is never read, and the connection closes after the answer.
    const bool closing = exchange.bodyTooLarge || exchange.bodyIncomplete ||
                         bodyLeftUnread(request, exchange.bodyComplete);
    if (closing) {
        response.setKeepAlive(false);
    }
    send(exchange, request, response);
    if (closing) {
        request.lingeringClose();
    }
}

// A host-made answer to a request whose body nobody reads.
void RequestRouter::answerAndClose(ServerRequest& request, Poco::Net::HTTPServerResponse& response,
                                   int status, const std::string& detail,
                                   const std::string& mediaType) const {
    const bool closing = bodyLeftUnread(request, false);
    if (closing) {
        response.setKeepAlive(false);
    }
    sendHostError(response, status, detail, mediaType);
    if (closing) {
        request.lingeringClose();
    }
}

void RequestRouter::refuseBody(ServerRequest& request, Poco::Net::HTTPServerResponse& response,
                               const std::string& mediaType) const {
    response.setKeepAlive(false);
    sendHostError(response, 413,
                  "Request body exceeds " + std::to_string(_settings.maxBodyBytes) + " bytes",
                  mediaType);
    request.lingeringClose();
}

}  // namespace timhost
