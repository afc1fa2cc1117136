#include "HttpFrontend.h"

#include "HostHandles.h"

#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/NullStream.h>
#include <Poco/StreamCopier.h>

#include <sstream>

namespace timhost {
namespace {

Poco::Logger& logger() {
    return Poco::Logger::get("timhost.http");
}

// Host-made errors use the SCIM error shape, which every client of a TIM host understands.
void sendError(Poco::Net::HTTPServerResponse& response, int status, const std::string& detail) {
    Poco::JSON::Object error;
    Poco::JSON::Array schemas;
    schemas.add("urn:ietf:params:scim:api:messages:2.0:Error");
    error.set("schemas", schemas);
    error.set("status", std::to_string(status));
    error.set("detail", detail);
    std::ostringstream body;
    error.stringify(body);
    const std::string text = body.str();

    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    response.setContentType("application/json");
    response.setContentLength(static_cast<std::streamsize>(text.size()));
    response.send() << text;
}

// Reads what the handler left of the body so the next request on a keep-alive connection
// starts at a request line; gives up (and closes the connection) past the body limit.
void drainBody(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
               std::size_t limit) {
    std::istream& in = request.stream();
    char buffer[8192];
    std::size_t drained = 0;
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        drained += static_cast<std::size_t>(in.gcount());
        if (drained > limit) {
            response.setKeepAlive(false);
            return;
        }
    }
}

// After refusing a body, reads (a bounded amount of) what the client is still sending before
// the connection closes: closing a socket with unread data resets it, and the reset can
// destroy the 413 before the client reads it.
void lingerAfterRefusal(Poco::Net::HTTPServerRequest& request) {
    constexpr std::size_t kLingerBytes = 1024 * 1024;
    try {
        std::istream& in = request.stream();
        char buffer[8192];
        std::size_t drained = 0;
        while (drained < kLingerBytes && (in.read(buffer, sizeof buffer) || in.gcount() > 0)) {
            drained += static_cast<std::size_t>(in.gcount());
        }
    } catch (const Poco::Exception&) {
        // The client went away or timed out: nothing left to protect.
    }
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

class PluginRequestHandler : public Poco::Net::HTTPRequestHandler {
  public:
    PluginRequestHandler(const PluginRegistry& registry, const HttpSettings& settings)
        : _registry(registry), _settings(settings) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override {
        try {
            route(request, response);
        } catch (const std::exception& e) {
            fail(response, e.what());
        } catch (...) {
            fail(response, "unknown exception");
        }
    }

  private:
    void route(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
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
            drainBody(request, response, _settings.maxBodyBytes);
            sendError(response, 404, "No resource at " + path);
            return;
        }
        if ((methodBit(request.getMethod()) & route->methods) == 0) {
            drainBody(request, response, _settings.maxBodyBytes);
            response.set("Allow", allowHeader(route->methods));
            sendError(response, 405, "Method " + request.getMethod() + " is not allowed here");
            return;
        }

        tim_http_exchange exchange(request, path, query, _settings.maxBodyBytes);
        const tim_status status = route->handle(route->userData, &exchange);
        if (status == TIM_ERR_TOO_LARGE || exchange.bodyTooLarge) {
            refuseBody(request, response);
            return;
        }
        if (exchange.bodyIncomplete) {
            // What is left on the connection is not a request line: answer, then close.
            response.setKeepAlive(false);
        } else if (status == TIM_OK) {
            drainBody(request, response, _settings.maxBodyBytes);
        }
        if (status != TIM_OK) {
            fail(response,
                 "plugin " + route->pluginName + " returned status " + std::to_string(status));
            return;
        }
        send(exchange, request, response);
    }

    void refuseBody(Poco::Net::HTTPServerRequest& request,
                    Poco::Net::HTTPServerResponse& response) const {
        response.setKeepAlive(false);
        sendError(response, 413,
                  "Request body exceeds " + std::to_string(_settings.maxBodyBytes) + " bytes");
        lingerAfterRefusal(request);
    }

    static void send(const tim_http_exchange& exchange, Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) {
        response.setStatusAndReason(
            static_cast<Poco::Net::HTTPResponse::HTTPStatus>(exchange.status));
        for (const auto& header : exchange.headers) {
            response.set(header.first, header.second);
        }
        response.setContentLength(static_cast<std::streamsize>(exchange.body.size()));
        std::ostream& out = response.send();
        if (request.getMethod() != "HEAD") {
            out.write(exchange.body.data(), static_cast<std::streamsize>(exchange.body.size()));
        }
    }

    static void fail(Poco::Net::HTTPServerResponse& response, const std::string& reason) {
        logger().error("request failed: " + reason);
        if (!response.sent()) {
            response.setKeepAlive(false);
            sendError(response, 500, "Internal server error");
        }
    }

    const PluginRegistry& _registry;
    const HttpSettings& _settings;
};

}  // namespace

Poco::Net::HTTPRequestHandler* RequestRouterFactory::createRequestHandler(
    const Poco::Net::HTTPServerRequest&) {
    return new PluginRequestHandler(_registry, _settings);
}

}  // namespace timhost
