// /Users (RFC 7644 §3): create (binding pre-existing TIM users), read, list and search with
// filters, paging, sorting and projection, replace, patch, delete; ETags on every response.
#pragma once

#include "api/Http.h"
#include "api/ResourceEndpoint.h"
#include "port/UserStore.h"
#include "scim/Projection.h"
#include "scim/UserSchemas.h"

#include <Poco/Logger.h>

#include <functional>
#include <map>
#include <string>

namespace api {

struct UsersSettings {
    RequestLimits limits;
    std::string defaultVendor;                  // stored when a client sends no tim:2.0 vendor
    const port::CursorSeal* cursors = nullptr;  // nullptr: no cursor paging
};

class UsersEndpoint : public StoredResourceEndpoint<port::UserRecord> {
  public:
    UsersEndpoint(port::UserStore& users, UsersSettings settings, Poco::Logger& logger)
        : StoredResourceEndpoint(scim::userResourceType(), scim::userResourceSchema(),
                                 settings.limits, settings.cursors),
          _users(users),
          _settings(std::move(settings)),
          _logger(logger) {}

  private:
    Response create(const Request& request, const ResponseShape& shape) const override;
    Response replace(const Request& request, const std::string& id,
                     const ResponseShape& shape) const override;
    Response patch(const Request& request, const std::string& id,
                   const ResponseShape& shape) const override;
    ListedPage list(const ListRequest& list, const std::string& baseUrl) const override;
    std::optional<port::UserRecord> find(const std::string& id) const override;
    bool erase(const std::string& id, std::optional<Poco::Int64> expectedVersion) const override;
    Poco::JSON::Object::Ptr show(const port::UserRecord& record,
                                 const ResponseShape& shape) const override;

    // The resource as clients see it (with the record's roles, and its manager's displayName
    // from `managerNames`).
    Poco::JSON::Object::Ptr render(const port::UserRecord& record, const std::string& baseUrl,
                                   const std::map<std::string, std::string>& managerNames) const;
    // The displayNames of the managers `records` name: those the store read with a record, and
    // the others (a page's) in one call to the store.
    std::map<std::string, std::string> managerNames(
        const std::vector<port::UserRecord>& records) const;
    void applyDefaults(Poco::JSON::Object::Ptr doc) const;
    // An unknown manager is kept as sent, and logged (from what the write read in its
    // transaction).
    void noteUnknownManager(const port::UserRecord& record) const;

    port::UserStore& _users;
    const UsersSettings _settings;
    Poco::Logger& _logger;
};

}  // namespace api
