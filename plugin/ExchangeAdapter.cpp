#include "ExchangeAdapter.h"

#include "AbiGuard.h"

#include <Poco/Exception.h>

namespace timplugin {
namespace {

// True when the host's services table reaches `end` (a service added in a later minor ABI).
bool hostHas(const tim_host_api& api, std::size_t end) {
    return api.struct_size >= end;
}

std::string viewOf(tim_status (*accessor)(tim_http_exchange*, const char**, size_t*),
                   tim_http_exchange* exchange) {
    const char* data = nullptr;
    size_t length = 0;
    if (accessor(exchange, &data, &length) != TIM_OK) {
        throw Poco::RuntimeException("the host failed to describe the request");
    }
    return std::string(data, length);
}

// Reads the whole body from the host, which enforces its size limit.
app::Exchange::Body readBody(const tim_host_api& api, tim_http_exchange* exchange) {
    app::Exchange::Body received;
    char buffer[16384];
    for (;;) {
        size_t got = 0;
        const tim_status status = api.request_body_read(exchange, buffer, sizeof buffer, &got);
        if (status == TIM_ERR_TOO_LARGE) {
            received.outcome = app::Exchange::BodyOutcome::TooLarge;
            return received;
        }
        if (status == TIM_ERR_IO) {
            received.outcome = app::Exchange::BodyOutcome::Incomplete;
            return received;
        }
        if (status != TIM_OK) {
            throw Poco::IOException("reading the request body failed");
        }
        if (got == 0) {
            return received;
        }
        received.text.append(buffer, got);
    }
}

void writeResponse(const tim_host_api& api, tim_http_exchange* exchange,
                   const app::Answer& response) {
    bool ok = api.response_set_status(exchange, response.status) == TIM_OK;
    for (const auto& header : response.headers) {
        ok = ok && api.response_set_header(exchange, header.first.data(), header.first.size(),
                                           header.second.data(), header.second.size()) == TIM_OK;
    }
    ok = ok && api.response_write(exchange, response.body.data(), response.body.size()) == TIM_OK;
    if (!ok) {
        throw Poco::RuntimeException("the host refused the response");
    }
}

app::Exchange readRequest(const tim_host_api& api, tim_http_exchange* exchange) {
    app::Exchange request;
    request.method = viewOf(api.request_method, exchange);
    request.path = viewOf(api.request_path, exchange);
    request.query = viewOf(api.request_query, exchange);
    if (hostHas(api, offsetof(tim_host_api, request_origin) + sizeof api.request_origin)) {
        request.clientAddress = viewOf(api.request_client_address, exchange);
        request.origin = viewOf(api.request_origin, exchange);
    }
    request.header = [&api, exchange](const std::string& name) -> std::optional<std::string> {
        const char* data = nullptr;
        size_t length = 0;
        if (api.request_header(exchange, name.data(), name.size(), &data, &length) != TIM_OK) {
            return std::nullopt;
        }
        return std::string(data, length);
    };
    request.readBody = [&api, exchange] { return readBody(api, exchange); };
    return request;
}

}  // namespace

tim_status serveExchange(const HostBridge& host, tim_http_exchange* exchange,
                         const RequestHandler& handler) noexcept {
    try {
        app::Answer response;
        try {
            response = handler(readRequest(host.api(), exchange));
        } catch (...) {
            // The core answers every request itself (its one error funnel): what lands here is
            // the exchange failing, or a handler that broke that promise.
            host.log(TIM_LOG_ERROR, "HTTP handler failed: " + currentExceptionText());
            response = app::PluginCore::internalError();
        }
        writeResponse(host.api(), exchange, response);
        return TIM_OK;
    } catch (...) {
        return TIM_ERR_INTERNAL;  // the host discards what was written and answers 500
    }
}

}  // namespace timplugin
