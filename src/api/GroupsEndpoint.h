// /Groups (RFC 7644 §3) as Entra uses it: members as rows, PATCH answering 204, role.<name>
// groups granting static TIM roles to their members.
#pragma once

#include "api/Http.h"
#include "scim/Patch.h"
#include "scim/Projection.h"
#include "store/GroupRepository.h"

#include <Poco/Logger.h>

namespace api {

struct GroupsSettings {
    std::size_t maxResults = 200;
    std::string defaultVendor;
};

class GroupsEndpoint {
  public:
    GroupsEndpoint(store::GroupRepository& groups, GroupsSettings settings, Poco::Logger& logger)
        : _groups(groups), _settings(std::move(settings)), _logger(logger) {}

    Response handle(const Request& request, const std::string& id,
                    const std::string& baseUrl) const;

  private:
    Response create(const Request& request, const std::string& baseUrl) const;
    Response get(const Request& request, const std::string& id, const std::string& baseUrl) const;
    Response replace(const Request& request, const std::string& id,
                     const std::string& baseUrl) const;
    Response patch(const Request& request, const std::string& id, const std::string& baseUrl) const;
    Response remove(const Request& request, const std::string& id) const;
    Response list(const store::GroupQuery& query, const scim::Projection& projection,
                  const std::string& baseUrl) const;
    Response listFromQueryString(const Request& request, const std::string& baseUrl) const;
    Response search(const Request& request, const std::string& baseUrl) const;

    Poco::JSON::Object::Ptr render(const store::GroupRecord& record, bool withMembers,
                                   const std::string& baseUrl) const;
    Response respond(int status, const store::GroupRecord& record, const Request& request,
                     const std::string& baseUrl) const;
    // Splits a POST/PUT body into the document and the member ids.
    std::pair<Poco::JSON::Object::Ptr, std::optional<std::vector<std::string>>> readGroup(
        const Request& request) const;
    void logWrite(const store::GroupWriteResult& result) const;

    store::GroupRepository& _groups;
    const GroupsSettings _settings;
    Poco::Logger& _logger;
};

}  // namespace api
