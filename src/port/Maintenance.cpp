#include "Maintenance.h"

namespace port {

std::string PurgeResult::summary() const {
    if (!ran) {
        return "skipped: another instance is purging";
    }
    return "purged " + std::to_string(users) + " user(s), " + std::to_string(memberships) +
           " membership(s), " + std::to_string(roleAssignments) + " role assignment(s) in " +
           std::to_string(batches) + " batch(es), and " + std::to_string(auditRows) +
           " audit row(s) past their retention";
}

}  // namespace port
