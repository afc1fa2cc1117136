// A request body as POST /Users and POST /Groups take it: parsed with the default limits and
// normalised against each schema.
#include "FuzzSupport.h"

#include "scim/GroupSchemas.h"
#include "scim/Representation.h"
#include "scim/UserSchemas.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const api::RequestLimits limits;
    fuzz::expectScimErrorsOnly([&] {
        const auto body = fuzz::body(data, size, limits);
        for (const auto* schema : {&scim::userResourceSchema(), &scim::groupResourceSchema()}) {
            fuzz::expectScimErrorsOnly([&] { scim::normaliseResource(body, *schema); });
        }
    });
    return 0;
}
