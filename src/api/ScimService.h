// The SCIM HTTP surface: maps a request below the base path to an endpoint and turns every
// failure into a SCIM error response. The resource types it serves come from one list
// (ServedResources).
#pragma once

#include "api/BulkEndpoint.h"
#include "api/DiscoveryEndpoint.h"
#include "api/Http.h"
#include "api/Metrics.h"
#include "api/RefusalLog.h"
#include "api/RootSearch.h"
#include "api/ServedResources.h"
#include "scim/ServiceProviderConfig.h"

#include <Poco/Logger.h>

#include <functional>
#include <string>

namespace api {

struct ServiceSettings {
    std::string basePath = "/tim/api/scim";
    std::string publicUrl;  // empty: derived from the Host header
    scim::ServiceProviderCapabilities capabilities;
    bool accessLog = true;       // one information line per request
    bool metricsPublic = false;  // <basePath>/metrics without a bearer token
};

// What <basePath>/metrics shows: the counters the service records into, and the pool's state.
// Without metrics the path is not served.
struct Observability {
    Metrics* metrics = nullptr;
    std::function<port::DatabaseUsage()> databaseUsage;
    // nullopt when the database cannot be asked: the metrics are served without them.
    std::function<std::optional<port::SharedFacts>()> sharedFacts;
};

// What a request's credential lets it do (the bearer token check).
enum class Access {
    Denied,        // 401
    Provisioning,  // every resource
    MetricsOnly,   // <basePath>/metrics; 403 anywhere else
};

// The check's answer, and why a request was denied.
struct Verdict {
    Verdict(Access granted = Access::Denied) : access(granted) {}  // NOLINT: an Access is one
    Verdict(Access granted, std::string why, std::string whyLabel)
        : access(granted), reason(std::move(why)), label(std::move(whyLabel)) {}

    Access access;
    std::string reason;  // for the log ("the token has expired"), never the token
    std::string label;   // the same from a fixed set, for the metrics ("expired")
};
using Authenticate = std::function<Verdict(const Request&)>;

inline constexpr const char* kUnauthorizedDetail = "Invalid SCIM endpoint or token";

class ScimService {
  public:
    // `resources` may be empty and `bulk` and `rootSearch` null (not served), as in tests of
    // the service alone. Throws std::invalid_argument for a resource type at one of the
    // service's own paths (/Bulk, /metrics, discovery's, ...), which it would shadow or expose.
    ScimService(ServiceSettings settings, Authenticate authenticate, Poco::Logger& logger,
                ServedResources resources = {}, Observability observability = {},
                const BulkEndpoint* bulk = nullptr, const RootSearch* rootSearch = nullptr)
        : _settings(std::move(settings)),
          _authenticate(std::move(authenticate)),
          _logger(logger),
          _refusals(logger),
          _resources(std::move(resources)),
          _discovery(_settings.capabilities, _resources.catalog()),
          _observability(std::move(observability)),
          _bulk(bulk),
          _rootSearch(rootSearch) {
        refuseOwnNames();
    }

    // Never throws: every failure becomes a SCIM error response; 5xx causes go to the log.
    // Every response carries the request's X-Request-Id (RequestLog.h); with accessLog, one
    // access line per authenticated request goes to the log. A request its credential does
    // not admit is counted (Metrics::recordRefusal) and logged as one "refused" line, at most
    // one a second per client address (RefusalLog).
    Response handle(const Request& request) const noexcept;

    const ServiceSettings& settings() const { return _settings; }

  private:
    // `denied` is set when the credential did not admit the request.
    Response answer(const Request& request, bool& denied) const noexcept;
    Response deny(const Request& request, const Verdict& verdict) const;
    void countRefusal(const std::string& label) const;
    bool isMetricsPath(const Request& request) const;
    // What `serve` answers, every failure turned into a SCIM error response.
    Response guarded(const Request& request, const std::function<Response()>& serve) const noexcept;
    Response dispatch(const Request& request, const std::string& resourcePath) const;
    // The answer to a request refused with `error`; logged as an error when it is the
    // server's fault (5xx), as information when it is the client's.
    Response refused(const Request& request, const scim::ScimError& error) const;
    Response metrics(const Request& request) const;
    std::string endpointOf(const Request& request) const;
    void refuseOwnNames() const;
    std::string baseUrl(const Request& request) const;

    const ServiceSettings _settings;
    const Authenticate _authenticate;
    Poco::Logger& _logger;
    mutable RefusalLog _refusals;
    const ServedResources _resources;
    const DiscoveryEndpoint _discovery;
    const Observability _observability;
    const BulkEndpoint* _bulk;
    const RootSearch* _rootSearch;
};

// The resource path below `basePath` with an optional "/v2" segment removed ("/Users/1"),
// "" for the base itself, or nullopt when `path` is not below `basePath`. Percent-decoded:
// a malformed escape ("%zz") throws ScimError 400.
std::optional<std::string> resourcePathOf(const std::string& path, const std::string& basePath);

}  // namespace api
