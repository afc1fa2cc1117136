// What `scim.status` shows of the provisioned data: counts only, never names.
#pragma once

#include <Poco/Types.h>

#include <optional>
#include <string>
#include <vector>

namespace port {

struct ProvisioningCounts {
    Poco::Int64 activeUsers = 0;
    Poco::Int64 disabledUsers = 0;
    Poco::Int64 deletedUsers = 0;  // hidden by a SCIM DELETE, awaiting the purge
    Poco::Int64 groups = 0;        // role groups included
    Poco::Int64 roleGroups = 0;
    Poco::Int64 liveTokens = 0;                    // not revoked (expired ones included)
    Poco::Int64 unlabelledProvisioningTokens = 0;  // live, and no expiry alert watches them
};

// A token not revoked, for the expiry gauge: one series per token.
struct LiveToken {
    std::string jti;
    std::string label;  // "" when none
    std::string scope;
    Poco::Int64 expiresMs = 0;
};

class StatusReader {
  public:
    virtual ~StatusReader() = default;

    virtual ProvisioningCounts counts() = 0;

    // The tokens not revoked, expired ones included (they still need replacing), the soonest
    // to expire first, at most `most`: the metrics' warning before a client is locked out.
    virtual std::vector<LiveToken> liveTokens(std::size_t most) = 0;
};

}  // namespace port
