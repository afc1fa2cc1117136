// A PatchOp body, parsed with the default limits and applied to a fixed, fully populated user.
#include "FuzzSupport.h"

#include "scim/Patch.h"
#include "scim/Representation.h"
#include "scim/UserSchemas.h"

#include <Poco/JSON/Parser.h>

namespace {

const Poco::JSON::Object::Ptr& user() {
    static const Poco::JSON::Object::Ptr doc =
        scim::normaliseResource(
            Poco::JSON::Parser()
                .parse(R"({"userName":"fuzz@example.com","externalId":"x1","active":true,
                "displayName":"Fuzz","title":"T","name":{"givenName":"F","familyName":"Z"},
                "emails":[{"type":"work","value":"fuzz@example.com","primary":true}],
                "phoneNumbers":[{"type":"mobile","value":"+1"}],
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":
                  {"department":"D","manager":{"value":"m1"}}})")
                .extract<Poco::JSON::Object::Ptr>(),
            scim::userResourceSchema())
            .doc;
    return doc;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const api::RequestLimits limits;
    fuzz::expectScimErrorsOnly([&] {
        const auto operations =
            scim::parsePatchRequest(fuzz::body(data, size, limits), limits.patchOperations);
        scim::applyPatch(user(), operations, scim::userResourceSchema());
    });
    return 0;
}
