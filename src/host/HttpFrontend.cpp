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

bool hasBody(const IncomingRequest& request) {
    return request.framing.body != RequestFraming::Body::None;
}

HttpAnswer failed(const std::string& reason, const std::string& mediaType) noexcept {
    try {
        logger().error("request failed: " + reason);
        HttpAnswer answer = hostError(500, "Internal server error", mediaType);
        answer.close = true;
        return answer;
    } catch (...) {
        HttpAnswer bare;  // out of memory: a bare 500
        bare.status = 500;
        bare.close = true;
        return bare;
    }
}

std::string servedPaths(const PluginRegistry& registry) {
    std::string paths;
    for (const auto& route : registry.routes()) {
        paths += (paths.empty() ? "" : ", ") + route.prefix + " (" + route.pluginName + ")";
    }
    return paths.empty() ? "nothing (no plugin is loaded)" : paths;
}

ClientView clientOf(const IncomingRequest& request, const HttpSettings& settings) {
    return clientViewOf(request.head, request.peer, request.secure, request.listener,
                        settings.trustedProxies, settings.allowedHosts);
}

}  // namespace

void splitTarget(const std::string& target, std::string& path, std::string& query) {
    const auto mark = target.find('?');
    path = target.substr(0, mark);
    query = mark == std::string::npos ? "" : target.substr(mark + 1);
    const auto fragment = query.find('#');
    if (fragment != std::string::npos) {
        query.erase(fragment);
    }
}

RequestRouter::RequestRouter(const PluginRegistry& registry, const HttpSettings& settings)
    : _registry(registry),
      _settings(settings),
      _unrouted(std::make_unique<UnroutedLog>(servedPaths(registry))) {}

HttpAnswer RequestRouter::serve(IncomingRequest& request) const noexcept {
    try {
        return route(request);
    } catch (const std::exception& e) {
        return failed(e.what(), kDefaultErrorMediaType);
    } catch (...) {
        return failed("unknown exception", kDefaultErrorMediaType);
    }
}

std::string RequestRouter::errorMediaTypeFor(const std::string& path) const {
    const Route* route = _registry.matchRoute(path);
    return route != nullptr ? route->errorMediaType : kDefaultErrorMediaType;
}

HttpAnswer RequestRouter::route(IncomingRequest& request) const {
    std::string path;
    std::string query;
    splitTarget(request.head.getURI(), path, query);

    const Route* route = _registry.matchRoute(path);
    const std::string mediaType = route != nullptr ? route->errorMediaType : kDefaultErrorMediaType;
    if (request.framing.body == RequestFraming::Body::Length &&
        request.framing.length > static_cast<Poco::Int64>(_settings.maxBodyBytes)) {
        return refuseBody(mediaType);
    }
    if (route == nullptr) {
        _unrouted->note(request.head.getMethod(), path, clientOf(request, _settings).address);
        HttpAnswer answer = hostError(404, "No resource at " + path, mediaType);
        answer.close = hasBody(request);  // a body nobody reads
        return answer;
    }
    if ((methodBit(request.head.getMethod()) & route->methods) == 0) {
        HttpAnswer answer = hostError(
            405, "Method " + request.head.getMethod() + " is not allowed here", mediaType);
        answer.headers.emplace_back("Allow", allowHeader(route->methods));
        answer.close = hasBody(request);
        return answer;
    }

    tim_http_exchange exchange(request, path, query, clientOf(request, _settings),
                               _settings.maxBodyBytes);
    const tim_status status = route->handle(route->userData, &exchange);
    if (status == TIM_ERR_TOO_LARGE) {
        return refuseBody(mediaType);  // a plugin that leaves the 413 to the host
    }
    if (status != TIM_OK) {
        return failed("plugin " + route->pluginName + " returned status " + std::to_string(status),
                      mediaType);
    }
    // The body is the plugin's to read: what it left (a refused token, a 413 of its own, a
    // body that broke off) is never read, and the connection closes after the answer.
    HttpAnswer answer;
    answer.status = exchange.status;
    answer.headers = std::move(exchange.headers);
    answer.body = std::move(exchange.body);
    answer.close = exchange.bodyTooLarge || exchange.bodyIncomplete ||
                   (hasBody(request) && !exchange.bodyComplete);
    return answer;
}

HttpAnswer RequestRouter::refuseBody(const std::string& mediaType) const {
    HttpAnswer answer =
        hostError(413, "Request body exceeds " + std::to_string(_settings.maxBodyBytes) + " bytes",
                  mediaType);
    answer.close = true;
    return answer;
}

}  // namespace timhost
