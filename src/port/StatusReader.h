// What `scim.status` shows of the provisioned data: counts only, never names.
#pragma once

#include <Poco/Types.h>

#include <optional>

namespace port {

struct ProvisioningCounts {
    Poco::Int64 activeUsers = 0;
    Poco::Int64 disabledUsers = 0;
    Poco::Int64 deletedUsers = 0;  // hidden by a SCIM DELETE, awaiting the purge
    Poco::Int64 groups = 0;        // role groups included
    Poco::Int64 roleGroups = 0;
    Poco::Int64 liveTokens = 0;  // not revoked (expired ones included)
};

class StatusReader {
  public:
    virtual ~StatusReader() = default;

    virtual ProvisioningCounts counts() = 0;

    // When the bearer token that expires last among those not revoked expires (ms since the
    // epoch), or nullopt when there is none: the metrics' warning before Entra is locked out.
    virtual std::optional<Poco::Int64> latestTokenExpiryMs() = 0;
};

}  // namespace port
