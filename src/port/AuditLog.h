// The provisioning audit as its readers see it: one entry per SCIM write (and per grant,
// revocation, purge), naming what changed, never values.
#pragma once

#include <Poco/Nullable.h>
#include <Poco/Types.h>

#include <cstddef>
#include <string>
#include <vector>

namespace port {

struct AuditEvent {
    // create, bind, revive, replace, patch, disable, enable, delete, refuse, grant, revoke,
    // purge, tim-create, tim-delete (at most 16 characters, as the outcome)
    std::string operation;
    std::string resourceType;  // User or Group
    std::string resourceId;
    Poco::Nullable<std::string> externalId;
    std::vector<std::string> changed;  // attribute names
    // applied; restored: a TIM-side deletion was undone with its memberships and roles;
    // by-username, by-email: how a bind matched; protected, protected-role, tim-created: why a
    // write was refused; username-reused: why a deleted user was purged before its time
    std::string outcome = "applied";
};

struct AuditEntry {
    Poco::Int64 atMs = 0;
    std::string requestId;  // "" when the write was not a request's (a command)
    AuditEvent event;
};

class AuditLog {
  public:
    virtual ~AuditLog() = default;

    // The history of one user or group, found by id, userName, displayName or externalId,
    // oldest first; at most `limit` rows, the newest ones.
    virtual std::vector<AuditEntry> historyOf(const std::string& who, std::size_t limit) = 0;
    // The newest `limit` rows, oldest first.
    virtual std::vector<AuditEntry> latest(std::size_t limit) = 0;
};

}  // namespace port
