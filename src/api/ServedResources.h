// The resource types this server serves, in one list: dispatch routes to them, the metrics
// label their requests, discovery describes them, Bulk addresses them and the root search
// searches them. A new resource type is its endpoint and one more row where the service is
// built (app/Components.cpp); nothing else in api changes.
#pragma once

#include "api/ResourceEndpoint.h"
#include "scim/Discovery.h"

#include <string>
#include <vector>

namespace api {

// What a Bulk operation may do to a resource type.
enum class InBulk {
    No,             // a Bulk operation on it is 400
    Writes,         // POST, PUT, PATCH and DELETE
    WritesSecrets,  // the same, and a write may carry a password (a slow hash each, counted
                    // against scim.bulk.maxPasswordOperations)
};

// Both members are said on every row: a row that forgot WritesSecrets would lift the bound on
// a Bulk request's password hashes.
struct ServedResource {
    ServedResource(const ResourceEndpoint* served, InBulk inBulk)
        : endpoint(served), bulk(inBulk) {}

    const ResourceEndpoint* endpoint;  // never null
    InBulk bulk;
};

class ServedResources {
  public:
    ServedResources() = default;  // serves no resource type (tests of the service alone)
    // Throws std::invalid_argument for a null endpoint, an endpoint that is not one segment
    // ("/Users"), two types at one endpoint or of one id, two schemas of one URN, or a type
    // whose extensions are not its schema's.
    explicit ServedResources(std::vector<ServedResource> rows);

    // The row of the collection `name` ("Users", case-insensitive), or nullptr.
    const ServedResource* find(const std::string& name) const;
    const std::vector<ServedResource>& rows() const { return _rows; }
    // The resource types and every schema they use, in the rows' order.
    const scim::ResourceCatalog& catalog() const { return _catalog; }

  private:
    std::vector<ServedResource> _rows;
    scim::ResourceCatalog _catalog;
};

// A collection's name as a path segment names it: "/Users" -> "Users".
std::string collectionOf(const scim::ResourceTypeDef& type);

}  // namespace api
