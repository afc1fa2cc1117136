#include "HttpFrontend.h"

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

void fail(Poco::Net::HTTPServerResponse& response, const std::string& reason) noexcept {
    try {
        logger().error("request failed: " + reason);
        if (!response.sent()) {
            response.setKeepAlive(false);
            sendHostError(response, 500, "Internal server error");
        }
    } catch (...) {
        // The client is gone; the connection closes.
    }
}

}  // namespace

void RequestRouter::serve(ServerRequest& request,
                          Poco::Net::HTTPServerResponse& response) const noexcept {
    try {
        route(request, response);
    } catch (const std::exception& e) {
        fail(response, e.what());
    } catch (...) {
        fail(response, "unknown exception");
    }
}

void RequestRouter::route(ServerRequest& request, Poco::Net::HTTPServerResponse& response) const {
    std::string path;
    std::string query;
    splitUri(request.getURI(), path, query);

    if (request.hasContentLength() &&
        request.getContentLength64() > static_cast<Poco::Int64>(_settings.maxBodyBytes)) {
        refuseBody(request, response);
        return;
    }
    const Route* route = _registry.matchRoute(path);
    if (route == nullptr) {
        answerAndClose(request, response, 404, "No resource at " + path);
        return;
    }
    if ((methodBit(request.getMethod()) & route->methods) == 0) {
        response.set("Allow", allowHeader(route->methods));
        answerAndClose(request, response, 405,
                       "Method " + request.getMethod() + " is not allowed here");
        return;
    }

    tim_http_exchange exchange(request, path, query, _settings.maxBodyBytes);
    const tim_status status = route->handle(route->userData, &exchange);
    request.bodyEnded();  // whatever the plugin left unread, its deadline is over
    if (status == TIM_ERR_TOO_LARGE) {
        refuseBody(request, response);  // a plugin that leaves the 413 to the host
        return;
    }
    if (status != TIM_OK) {
        fail(response,
             "plugin " + route->pluginName + " returned status " + std::to_string(status));
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
                                   int status, const std::string& detail) const {
    const bool closing = bodyLeftUnread(request, false);
    if (closing) {
        response.setKeepAlive(false);
    }
    sendHostError(response, status, detail);
    if (closing) {
        request.lingeringClose();
    }
}

void RequestRouter::refuseBody(ServerRequest& request,
                               Poco::Net::HTTPServerResponse& response) const {
    response.setKeepAlive(false);
    sendHostError(response, 413,
                  "Request body exceeds " + std::to_string(_settings.maxBodyBytes) + " bytes");
    request.lingeringClose();
}

}  // namespace timhost
