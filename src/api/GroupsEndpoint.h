// /Groups (RFC 7644 §3) as Entra uses it: members as rows, PATCH answering 204, role.<name>
// groups granting static TIM roles to their members.
#pragma once

#include "api/Http.h"
#include "api/ResourceEndpoint.h"
#include "port/GroupStore.h"
#include "scim/GroupSchemas.h"
#include "scim/Patch.h"
#include "scim/Projection.h"

#include <Poco/Logger.h>

namespace api {

struct GroupsSettings {
    RequestLimits limits;
    std::string defaultVendor;
    const port::CursorSeal* cursors = nullptr;  // nullptr: no cursor paging
};

class GroupsEndpoint : public StoredResourceEndpoint<port::GroupRecord> {
  public:
    GroupsEndpoint(port::GroupStore& groups, GroupsSettings settings, Poco::Logger& logger)
        : StoredResourceEndpoint(scim::groupResourceType(), scim::groupResourceSchema(),
                                 settings.limits, settings.cursors),
          _groups(groups),
          _settings(std::move(settings)),
          _logger(logger) {}

  private:
    Response create(const Request& request, const ResponseShape& shape) const override;
    Response replace(const Request& request, const std::string& id,
                     const ResponseShape& shape) const override;
    Response patch(const Request& request, const std::string& id,
                   const ResponseShape& shape) const override;
    ListedPage list(const ListRequest& list, const std::string& baseUrl) const override;
    std::optional<port::GroupRecord> find(const std::string& id) const override;
    bool erase(const std::string& id, std::optional<Poco::Int64> expectedVersion) const override;
    // excludedAttributes=members never reads a membership row.
    Poco::JSON::Object::Ptr show(const port::GroupRecord& record,
                                 const ResponseShape& shape) const override;

    Poco::JSON::Object::Ptr render(const port::GroupRecord& record, bool withMembers,
                                   const std::string& baseUrl) const;
    // Splits a POST/PUT body into the document and the member ids.
    std::pair<Poco::JSON::Object::Ptr, std::optional<std::vector<std::string>>> readGroup(
        const Request& request) const;
    void logWrite(const port::GroupWriteResult& result) const;

    port::GroupStore& _groups;
    const GroupsSettings _settings;
    Poco::Logger& _logger;
};

}  // namespace api
