#include "ServiceProviderConfig.h"

#include <Poco/JSON/Array.h>

namespace scim {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Object::Ptr supported(bool value) {
    Object::Ptr object = new Object;
    object->set("supported", value);
    return object;
}

Object::Ptr bearerTokenScheme() {
    Object::Ptr scheme = new Object;
    scheme->set("type", "oauthbearertoken");
    scheme->set("name", "OAuth Bearer Token");
    scheme->set("description",
                "Authentication with a bearer token issued by TIM for the sys.scim identity");
    scheme->set("specUri", "https://www.rfc-editor.org/rfc/rfc6750");
    scheme->set("primary", true);
    return scheme;
}

}  // namespace

Object::Ptr serviceProviderConfig(const ServiceProviderCapabilities& capabilities,
                                  const std::string& location) {
    Object::Ptr document = new Object;
    Array::Ptr schemas = new Array;
    schemas->add(kServiceProviderConfigSchema);
    document->set("schemas", schemas);
    if (!capabilities.documentationUri.empty()) {
        document->set("documentationUri", capabilities.documentationUri);
    }
    document->set("patch", supported(capabilities.patch));

    Object::Ptr bulk = supported(capabilities.bulk);
    bulk->set("maxOperations", capabilities.bulkMaxOperations);
    bulk->set("maxPayloadSize", capabilities.bulkMaxPayloadSize);
    document->set("bulk", bulk);

    Object::Ptr filter = supported(capabilities.filter);
    filter->set("maxResults", capabilities.filterMaxResults);
    document->set("filter", filter);

    document->set("changePassword", supported(capabilities.changePassword));
    document->set("sort", supported(capabilities.sort));
    document->set("etag", supported(capabilities.etag));

    Object::Ptr pagination = new Object;
    pagination->set("cursor", capabilities.cursor);
    pagination->set("index", true);
    pagination->set("defaultPaginationMethod", "index");
    pagination->set("defaultPageSize", capabilities.filterMaxResults);
    pagination->set("maxPageSize", capabilities.filterMaxResults);
    if (capabilities.cursor) {
        pagination->set("cursorTimeout", capabilities.cursorTimeoutSeconds);
    }
    document->set("pagination", pagination);

    Array::Ptr schemes = new Array;
    schemes->add(bearerTokenScheme());
    document->set("authenticationSchemes", schemes);

    Object::Ptr meta = new Object;
    meta->set("resourceType", "ServiceProviderConfig");
    meta->set("location", location);
    document->set("meta", meta);
    return document;
}

}  // namespace scim
