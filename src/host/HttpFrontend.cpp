#include "HttpFrontend.h"

#include "HostHandles.h"

#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Timestamp.h>

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
    response.send() << text << std::flush;
}

// A request whose body will not be read (refused, over the limit, left unread by the plugin,
// or broken) is answered and its connection closed. Closing a socket with unread data resets
// it, and the reset can destroy the answer before the client reads it: so the write side is
// shut first and what the client still sends is discarded, for a short bounded time, never
// buffered or acted on.
void closeAfterAnswer(Poco::Net::HTTPServerRequest& request) {
    constexpr std::size_t kLingerBytes = 256 * 1024;
    const Poco::Timestamp::TimeDiff kLingerMicros = 2 * Poco::Timespan::SECONDS;
    try {
        Poco::Net::StreamSocket& socket =
            static_cast<Poco::Net::HTTPServerRequestImpl&>(request).socket();
        socket.shutdownSend();
        const Poco::Timestamp started;
        char buffer[8192];
        std::size_t discarded = 0;
        while (discarded < kLingerBytes && started.elapsed() < kLingerMicros &&
               socket.poll(Poco::Timespan(kLingerMicros - started.elapsed()),
                           Poco::Net::Socket::SELECT_READ)) {
            const int got = socket.receiveBytes(buffer, sizeof buffer);
            if (got <= 0) {
                break;
            }
            discarded += static_cast<std::size_t>(got);
        }
    } catch (const Poco::Exception&) {
        // The client went away: nothing left to protect.
    }
}

// True when the request carries a body that nobody has read to its end.
bool bodyLeftUnread(const Poco::Net::HTTPServerRequest& request, bool bodyComplete) {
    if (bodyComplete) {
        return false;
    }
    return request.getChunkedTransferEncoding() ||
           (request.hasContentLength() && request.getContentLength64() > 0);
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
            closeAfterAnswer(request);
        }
    }

    // A host-made answer to a request whose body nobody reads.
    void answerAndClose(Poco::Net::HTTPServerRequest& request,
                        Poco::Net::HTTPServerResponse& response, int status,
                        const std::string& detail) const {
        const bool closing = bodyLeftUnread(request, false);
        if (closing) {
            response.setKeepAlive(false);
        }
        sendError(response, status, detail);
        if (closing) {
            closeAfterAnswer(request);
        }
    }

    void refuseBody(Poco::Net::HTTPServerRequest& request,
                    Poco::Net::HTTPServerResponse& response) const {
        response.setKeepAlive(false);
        sendError(response, 413,
                  "Request body exceeds " + std::to_string(_settings.maxBodyBytes) + " bytes");
        closeAfterAnswer(request);
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
        out.flush();  // before a lingering close shuts the write side
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
