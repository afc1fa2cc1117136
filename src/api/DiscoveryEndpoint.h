// The discovery resources: ServiceProviderConfig, Schemas and ResourceTypes (RFC 7644 §4).
#pragma once

#include "api/Http.h"
#include "scim/Discovery.h"
#include "scim/ServiceProviderConfig.h"

namespace api {

// The resource types this server serves and their schemas.
const scim::ResourceCatalog& serverCatalog();

class DiscoveryEndpoint {
  public:
    explicit DiscoveryEndpoint(scim::ServiceProviderCapabilities capabilities)
        : _capabilities(std::move(capabilities)) {}

    // `resource` is "ServiceProviderConfig", "Schemas" or "ResourceTypes"; `id` what follows
    // it ("" for the collection). Throws scim::ScimError (404, 405).
    Response handle(const Request& request, const std::string& resource, const std::string& id,
                    const std::string& baseUrl) const;

    static bool serves(const std::string& resource);

  private:
    const scim::ServiceProviderCapabilities _capabilities;
};

}  // namespace api
