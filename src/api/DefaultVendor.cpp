#include "DefaultVendor.h"

namespace api {

void applyDefaultVendor(Poco::JSON::Object::Ptr doc, const std::string& extensionUrn,
                        const std::string& vendor) {
    if (vendor.empty()) {
        return;
    }
    Poco::JSON::Object::Ptr extension = doc->has(extensionUrn)
                                            ? doc->getObject(extensionUrn)
                                            : Poco::JSON::Object::Ptr(new Poco::JSON::Object);
    if (!extension->has("vendor")) {
        extension->set("vendor", vendor);
        doc->set(extensionUrn, extension);
    }
}

}  // namespace api
