// TIM's default vendor (scim.defaultVendor): a user or group written without a vendor in TIM's
// extension is TIM's under that vendor. The one home of the rule for every resource type.
#pragma once

#include <Poco/JSON/Object.h>

#include <string>

namespace api {

// Sets `vendor` in `doc`'s extension `extensionUrn` unless the client sent one there; nothing
// when `vendor` is empty (no default configured).
void applyDefaultVendor(Poco::JSON::Object::Ptr doc, const std::string& extensionUrn,
                        const std::string& vendor);

}  // namespace api
