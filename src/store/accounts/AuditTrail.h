// The provisioning audit: one row per SCIM write, written in the write's transaction so that
// it exists exactly when the change does. It names what changed, never values (no secrets).
#pragma once

#include "store/engine/Database.h"

#include "port/AuditLog.h"

#include <Poco/Data/Session.h>
#include <Poco/JSON/Object.h>
#include <Poco/Nullable.h>

#include <string>
#include <vector>

namespace store {

// Records `event` in the caller's open transaction, under the current request id.
void recordAudit(Poco::Data::Session& session, const port::AuditEvent& event);

class AuditTrail final : public port::AuditLog {
  public:
    explicit AuditTrail(Database& database) : _database(database) {}

    std::vector<port::AuditEntry> historyOf(const std::string& who, std::size_t limit) override;
    std::vector<port::AuditEntry> latest(std::size_t limit) override;

  private:
    Database& _database;
};

}  // namespace store
