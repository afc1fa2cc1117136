// The ServiceProviderConfig resource (RFC 7643 §5), built from what the server supports.
#pragma once

#include <Poco/JSON/Object.h>

#include <string>

namespace scim {

// Each flag says what this build really does; a feature turns its flag on when it lands.
struct ServiceProviderCapabilities {
    bool patch = false;
    bool bulk = false;
    int bulkMaxOperations = 0;
    int bulkMaxPayloadSize = 0;
    bool filter = false;
    int filterMaxResults = 200;
    bool changePassword = false;
    bool sort = false;
    bool etag = false;
    // RFC 9865: cursor paging besides index paging; page sizes are filterMaxResults.
    bool cursor = false;
    int cursorTimeoutSeconds = 0;
    std::string documentationUri;
};

inline constexpr const char* kServiceProviderConfigSchema =
    "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";

// `location` is the absolute URL of the resource itself, for meta.location.
Poco::JSON::Object::Ptr serviceProviderConfig(const ServiceProviderCapabilities& capabilities,
                                              const std::string& location);

}  // namespace scim
