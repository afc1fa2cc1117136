// The filter parser and the checks that follow it on /Users and /Groups.
#include "FuzzSupport.h"

#include "scim/GroupSchemas.h"
#include "scim/UserSchemas.h"
#include "scim/filter/Evaluator.h"
#include "scim/filter/FilterParser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::expectScimErrorsOnly([&] {
        const auto filter = scim::filter::parseFilter(fuzz::text(data, size));
        for (const auto* schema : {&scim::userResourceSchema(), &scim::groupResourceSchema()}) {
            fuzz::expectScimErrorsOnly([&] { scim::filter::validate(filter, *schema); });
        }
    });
    return 0;
}
