#include "ScimService.h"

#include "api/ContentNegotiation.h"
#include "api/RequestLog.h"
#include "api/StoreErrorAnswers.h"
#include "port/RequestContext.h"

#include <Poco/Exception.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <chrono>
#include <stdexcept>

namespace api {
namespace {

constexpr const char* kMetricsResource = "metrics";

// The service's own resources below the base: no resource type may take their names, and
// each is a metrics label of its own.
constexpr const char* kOwnResources[] = {
    "Bulk", "ServiceProviderConfig", "ResourceTypes", "Schemas", kMetricsResource, "Me", ".search"};

bool isSegmentPrefix(const std::string& path, const std::string& prefix) {
    return path.compare(0, prefix.size(), prefix) == 0 &&
           (path.size() == prefix.size() || path[prefix.size()] == '/');
}

// "/Schemas/urn:...:User" -> resource "Schemas", id "urn:...:User"; "" -> "", "".
std::pair<std::string, std::string> splitResourcePath(const std::string& resourcePath) {
    if (resourcePath.empty()) {
        return {"", ""};
    }
    const auto slash = resourcePath.find('/', 1);
    return {resourcePath.substr(1, slash == std::string::npos ? std::string::npos : slash - 1),
            slash == std::string::npos ? "" : resourcePath.substr(slash + 1)};
}

}  // namespace

std::optional<std::string> resourcePathOf(const std::string& path, const std::string& basePath) {
    std::string decoded;
    try {
        Poco::URI::decode(path, decoded);
    } catch (const Poco::SyntaxException&) {
        // "%zz", a "%" at the end: the client's mistake, before or after its token is read.
        throw scim::ScimError(400, "", "The request path is not valid percent-encoding");
    }
    if (!isSegmentPrefix(decoded, basePath)) {
        return std::nullopt;
    }
    std::string rest = decoded.substr(basePath.size());
    if (isSegmentPrefix(rest, "/v2")) {
        rest.erase(0, 3);
    }
    while (!rest.empty() && rest.back() == '/') {
        rest.pop_back();  // "/Users/" is "/Users"
    }
    return rest;
}

Response ScimService::handle(const Request& request) const noexcept {
    const auto started = std::chrono::steady_clock::now();
    std::optional<port::RequestScope> scope;
    try {
        scope.emplace(requestIdOf(request));
    } catch (...) {
        // No id (out of memory): the request is still served.
    }
    bool denied = false;
    Response response = answer(request, denied);
    try {
        // The client may ask for application/json (RFC 7644 §3.8); errors too.
        const auto mediaType = responseMediaType(request.headerValue("Accept"));
        for (auto& [name, value] : response.headers) {
            if (mediaType && name == "Content-Type" && value == scim::kMediaType) {
                value = *mediaType;
            }
        }
        if (scope) {
            response.headers.emplace_back("X-Request-Id", scope->id());
        }
        const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
        if (_observability.metrics != nullptr) {
            _observability.metrics->recordRequest(endpointOf(request), request.method,
                                                  response.status, took.count());
        }
        if (_settings.accessLog && !denied) {  // a denial has its own line
            _logger.information(accessLine(request, response, took.count() * 1000));
        }
    } catch (...) {
        // The answer goes out without its id or access line.
    }
    return response;
}

Response ScimService::answer(const Request& request, bool& denied) const noexcept {
    return guarded(request, [&] {
        // Every path under the base, discovery included, needs a valid token; metrics may
        // be public. The token is checked before anything else of the request is read.
        const bool metricsPath = isMetricsPath(request);
        if (!(_settings.metricsPublic && metricsPath)) {
            const Verdict verdict = _authenticate(request);
            if (verdict.access == Access::Denied) {
                denied = true;
                return deny(request, verdict);
            }
            if (verdict.access == Access::MetricsOnly && !metricsPath) {
                countRefusal("scope");
                throw scim::ScimError(403, "", "This bearer token may only read the metrics");
            }
        }
        const auto resourcePath = resourcePathOf(request.path, _settings.basePath);
        if (!metricsPath && !responseMediaType(request.headerValue("Accept"))) {
            throw scim::ScimError(406, "",
                                  "The Accept header allows neither application/scim+json nor "
                                  "application/json");
        }
        if (!resourcePath) {
            throw scim::notFound("No SCIM resource at " + request.path);
        }
        return dispatch(request, *resourcePath);
    });
}

bool ScimService::isMetricsPath(const Request& request) const {
    try {
        const auto resourcePath = resourcePathOf(request.path, _settings.basePath);
        return resourcePath && *resourcePath == std::string("/") + kMetricsResource;
    } catch (const scim::ScimError&) {
        return false;  // not percent-encoding: answered 400 once the token is checked
    }
}

Response ScimService::deny(const Request& request, const Verdict& verdict) const {
    countRefusal(verdict.label.empty() ? "other" : verdict.label);
    _refusals.note(loggableClient(request), request.method + " " + request.path + " from " +
                                                loggableClient(request) + ": refused 401 " +
                                                verdict.reason);
    return Response::error(scim::unauthorized(kUnauthorizedDetail));
}

void ScimService::countRefusal(const std::string& label) const {
    if (_observability.metrics != nullptr) {
        _observability.metrics->recordRefusal(label);
    }
}

Response ScimService::guarded(const Request& request,
                              const std::function<Response()>& serve) const noexcept {
    try {
        try {
            return serve();
        } catch (const scim::ScimError& e) {
            return refused(request, e);
        } catch (const port::Unavailable& e) {
            const auto error = scimErrorOf(e);
            _logger.warning("%s %s: 503 %s (%s)", request.method, request.path, error.detail(),
                            std::string(e.what()));
            Response response = Response::error(error);
            for (auto& [name, value] : response.headers) {
                if (name == "Retry-After") {
                    value = std::to_string(e.retryAfterSeconds());
                }
            }
            return response;
        } catch (const port::ProtectedAccount& e) {
            // A provisioning token reaching for an administrator: worth an operator's look.
            _logger.warning("%s %s from %s: refused 409 %s", request.method, request.path,
                            loggableClient(request), std::string(e.what()));
            return Response::error(scimErrorOf(e));
        } catch (const port::StoreError& e) {
            return refused(request, scimErrorOf(e));
        } catch (const Poco::Exception& e) {
            // displayText: Poco's what() is the class name alone ("MySQL"), no cause.
            _logger.error("%s %s: %s", request.method, request.path, e.displayText());
        } catch (const std::exception& e) {
            _logger.error("%s %s: %s", request.method, request.path, std::string(e.what()));
        }
        return Response::error(scim::internalError());
    } catch (...) {
        Response response;  // building the error failed (out of memory): a bare 500
        response.status = 500;
        return response;
    }
}

Response ScimService::refused(const Request& request, const scim::ScimError& error) const {
    if (error.status() >= 500 && error.status() != 501) {  // 501: a feature not offered
        _logger.error("%s %s: %s", request.method, request.path, error.detail());
    } else if (error.status() == 403) {
        // A valid token reaching for what it may not: worth an operator's look.
        _logger.warning("%s %s from %s: refused 403 %s", request.method, request.path,
                        loggableClient(request), error.detail());
    } else {
        _logger.information("%s %s from %s: refused %d %s", request.method, request.path,
                            loggableClient(request), error.status(), error.detail());
    }
    return Response::error(error);
}

Response ScimService::dispatch(const Request& request, const std::string& resourcePath) const {
    const auto [resource, id] = splitResourcePath(resourcePath);
    if (DiscoveryEndpoint::serves(resource)) {
        return _discovery.handle(request, resource, id, baseUrl(request));
    }
    if (const ServedResource* served = _resources.find(resource)) {
        return served->endpoint->handle(request, id, baseUrl(request));
    }
    if (_bulk != nullptr && scim::sameName(resource, "Bulk") && id.empty()) {
        // Each operation is served as its own request, already authenticated.
        return _bulk->handle(request, _settings.basePath, [this](const Request& operation) {
            return guarded(operation, [&] {
                return dispatch(operation, *resourcePathOf(operation.path, _settings.basePath));
            });
        });
    }
    if (_rootSearch != nullptr && resource == ".search" && id.empty()) {
        return _rootSearch->handle(request, baseUrl(request));
    }
    if (scim::sameName(resource, "Me")) {
        // RFC 7644 §3.11: a service provider that does not support /Me answers 501.
        throw scim::ScimError(501, "",
                              "/Me is not supported: the bearer token belongs to the system "
                              "identity sys.scim, not to a person");
    }
    if (_observability.metrics != nullptr && resource == kMetricsResource && id.empty()) {
        return metrics(request);
    }
    throw scim::notFound("No SCIM resource at " + request.path);
}

Response ScimService::metrics(const Request& request) const {
    if (request.method != "GET" && request.method != "HEAD") {
        throw scim::methodNotAllowed("The metrics are read with GET");
    }
    Response response;
    response.headers.emplace_back("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    response.body = _observability.metrics->render(
        _observability.databaseUsage ? _observability.databaseUsage() : port::DatabaseUsage{},
        _observability.sharedFacts ? _observability.sharedFacts() : std::nullopt);
    return response;
}

// The resource a request is for, as a metrics label: a name the service serves, else "other"
// (never an id or anything else a client chose).
std::string ScimService::endpointOf(const Request& request) const {
    std::optional<std::string> resourcePath;
    try {
        resourcePath = resourcePathOf(request.path, _settings.basePath);
    } catch (const scim::ScimError&) {
        return "other";
    }
    if (!resourcePath || resourcePath->empty()) {
        return "other";
    }
    const std::string resource = splitResourcePath(*resourcePath).first;
    if (const ServedResource* served = _resources.find(resource)) {
        return collectionOf(served->endpoint->type());
    }
    for (const char* known : kOwnResources) {
        if (scim::sameName(resource, known)) {
            return known;
        }
    }
    return "other";
}

void ScimService::refuseOwnNames() const {
    for (const char* own : kOwnResources) {
        if (_resources.find(own) != nullptr) {
            throw std::invalid_argument(std::string("No resource type may be served at /") + own +
                                        ": the service answers it");
        }
    }
}

std::string ScimService::baseUrl(const Request& request) const {
    if (!_settings.publicUrl.empty()) {
        return _settings.publicUrl;
    }
    if (!request.origin.empty()) {
        return request.origin + _settings.basePath;  // the host trusts X-Forwarded-* or not
    }
    // A host older than ABI 1.1.
    const std::string scheme = request.headerValue("X-Forwarded-Proto").value_or("http");
    const std::string host = request.headerValue("Host").value_or("localhost");
    return (scheme == "https" ? "https" : "http") + std::string("://") + host + _settings.basePath;
}

}  // namespace api
