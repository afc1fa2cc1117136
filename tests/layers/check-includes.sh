#!/bin/sh
# Rules of docs/architecture.md that an include root cannot enforce. Prints each breach.
set -u
root=${1:?usage: check-includes.sh SOURCE_DIR}
cd "$root" || exit 2
status=0
breach() {
    echo "layering: $1:"
    echo "$2"
    status=1
}
# Only the store touches Poco::Data.
found=$(grep -rn '#include <Poco/Data/' src plugin | grep -v '^src/store/')
[ -z "$found" ] || breach "Poco::Data outside src/store" "$found"
# The store never speaks SCIM errors: it throws the port's typed errors (port/StoreErrors.h).
found=$(grep -rnE 'scim/ScimError\.h|scim::ScimError|scim::(badRequest|notFound|conflict|payloadTooLarge|serviceUnavailable)\(' src/store)
[ -z "$found" ] || breach "SCIM errors in src/store" "$found"
# The plugin glue only adapts: no store, no rules, no auth.
found=$(grep -rnE '#include "(store|tim|auth|port)/' plugin)
[ -z "$found" ] || breach "plugin/ past the core's entry point" "$found"
# The store includes no rules; the protocol nothing below it.
found=$(grep -rnE '#include "(tim|auth|api|app)/' src/store)
[ -z "$found" ] || breach "src/store includes a layer above it" "$found"
found=$(grep -rnE '#include "(port|store|tim|auth|api|app)/' src/scim)
[ -z "$found" ] || breach "src/scim is not pure" "$found"
# No path around the include roots.
found=$(grep -rn '#include "\.\./' src plugin)
[ -z "$found" ] || breach "an include that climbs out of its directory" "$found"
exit $status
