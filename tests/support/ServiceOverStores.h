// The SCIM service over a user store and a group store, as the plugin serves them (every
// request admitted, no Bulk): for tests that count what a request costs the store.
#pragma once

#include "api/GroupsEndpoint.h"
#include "api/ScimService.h"
#include "api/UsersEndpoint.h"

#include <Poco/Logger.h>

namespace testing {

struct ServiceOverStores {
    ServiceOverStores(port::UserStore& users, port::GroupStore& groups, Poco::Logger& logger)
        : usersEndpoint(users, api::UsersSettings{}, logger),
          groupsEndpoint(groups, api::GroupsSettings{}, logger),
          service(
              api::ServiceSettings{}, [](const api::Request&) { return api::Access::Provisioning; },
              logger,
              api::ServedResources({{&usersEndpoint, api::InBulk::WritesSecrets},
                                    {&groupsEndpoint, api::InBulk::Writes}})) {}

    const api::UsersEndpoint usersEndpoint;
    const api::GroupsEndpoint groupsEndpoint;
    const api::ScimService service;
};

}  // namespace testing
