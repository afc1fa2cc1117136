// The discovery resources: ServiceProviderConfig, Schemas and ResourceTypes (RFC 7644 §4).
#pragma once

#include "api/Http.h"
#include "scim/Discovery.h"
#include "scim/ServiceProviderConfig.h"

namespace api {

class DiscoveryEndpoint {
  public:
    // `catalog`: the resource types served and their schemas.
    DiscoveryEndpoint(scim::ServiceProviderCapabilities capabilities, scim::ResourceCatalog catalog)
        : _capabilities(std::move(capabilities)), _catalog(std::move(catalog)) {}

    // `resource` is "ServiceProviderConfig", "Schemas" or "ResourceTypes"; `id` what follows
    // it ("" for the collection). Throws scim::ScimError (404, 405).
    Response handle(const Request& request, const std::string& resource, const std::string& id,
                    const std::string& baseUrl) const;

    static bool serves(const std::string& resource);

  private:
    const scim::ServiceProviderCapabilities _capabilities;
    const scim::ResourceCatalog _catalog;
};

}  // namespace api
