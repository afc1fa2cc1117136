// PATCH paths: "emails[type eq \"work\"].value" and whatever else arrives.
#include "FuzzSupport.h"

#include "scim/Patch.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::expectScimErrorsOnly([&] { scim::parsePatchPath(fuzz::text(data, size)); });
    return 0;
}
