// The provisioning audit: one row per SCIM write, written in the write's transaction so that
// it exists exactly when the change does. It names what changed, never values (no secrets).
#pragma once

#include "Database.h"

#include <Poco/Data/Session.h>
#include <Poco/JSON/Object.h>
#include <Poco/Nullable.h>

#include <string>
#include <vector>

namespace store {

struct AuditEvent {
    // create, bind, replace, patch, disable, enable, delete, grant, revoke, purge
    std::string operation;
    std::string resourceType;  // User or Group
    std::string resourceId;
    Poco::Nullable<std::string> externalId;
    std::vector<std::string> changed;  // attribute names
    // applied, or restored: a TIM-side deletion was undone with its memberships and roles
    std::string outcome = "applied";
};

struct AuditEntry {
    Poco::Int64 atMs = 0;
    std::string requestId;  // "" when the write was not a request's (a command)
    AuditEvent event;
};

// Records `event` in the caller's open transaction, under the current request id.
void recordAudit(Poco::Data::Session& session, const AuditEvent& event);

// The attributes whose values differ between two documents: top-level names, and
// "urn:...:User:manager" for attributes of an extension.
std::vector<std::string> changedAttributes(const Poco::JSON::Object::Ptr& before,
                                           const Poco::JSON::Object::Ptr& after);

// The attributes a document has, as changedAttributes names them.
std::vector<std::string> attributesOf(const Poco::JSON::Object::Ptr& doc);

class AuditTrail {
  public:
    explicit AuditTrail(Database& database) : _database(database) {}

    // The history of one user or group, found by id, userName, displayName or externalId,
    // oldest first; at most `limit` rows, the newest ones.
    std::vector<AuditEntry> historyOf(const std::string& who, std::size_t limit);
    // The newest `limit` rows, oldest first.
    std::vector<AuditEntry> latest(std::size_t limit);

  private:
    Database& _database;
};

}  // namespace store
