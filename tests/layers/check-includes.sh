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
found=$(grep -rnE '#include <Poco/Data/|Poco::Data::' src plugin | grep -v '^src/store/')
[ -z "$found" ] || breach "Poco::Data outside src/store" "$found"
# The store never speaks SCIM errors: it throws the port's typed errors (port/StoreErrors.h).
found=$(grep -rnE 'scim/ScimError\.h|scim::ScimError|scim::(badRequest|notFound|conflict|payloadTooLarge|serviceUnavailable)\(' src/store)
[ -z "$found" ] || breach "SCIM errors in src/store" "$found"
# The plugin glue only adapts: no store, no rules, no auth.
found=$(grep -rnE '#include "(store|tim|auth|port|api|scim)/' plugin)
[ -z "$found" ] || breach "plugin/ past the core's entry point" "$found"
# The store includes no rules; the protocol nothing below it.
found=$(grep -rnE '#include "(tim|auth|api|app)/' src/store)
[ -z "$found" ] || breach "src/store includes a layer above it" "$found"
found=$(grep -rnE '#include "(port|store|tim|auth|api|app)/' src/scim)
[ -z "$found" ] || breach "src/scim is not pure" "$found"
# Each port is a contract between the layers that use it and the store that provides it: a
# port header is included only by the layers listed here, so deleting it breaks only those.
# A port missing from this table is a breach too: a new port says who may use it.
port_users() {
    case $1 in
    AccountMatch.h | AccountTransaction.h | AccountTransactions.h | IdentityStore.h) echo "port tim store" ;;
    AuditLog.h | StatusReader.h) echo "port store app" ;;
    TokenStore.h) echo "port auth store app" ;;
    CursorSeal.h) echo "port api auth app" ;;
    Maintenance.h) echo "port api store app" ;;
    UserStore.h | GroupStore.h) echo "port api tim store app" ;;
    Credentials.h | Documents.h | UserColumns.h) echo "port tim store" ;;
    Ids.h | RequestContext.h | ResourceQuery.h | StoreErrors.h) echo "port api tim auth store app" ;;
    *) echo "" ;;
    esac
}
for header in src/port/*.h; do
    name=${header#src/port/}
    users=$(port_users "$name")
    [ -n "$users" ] || breach "a port no table entry says who may use" "$header"
    for includer in $(grep -rlF "#include \"port/$name\"" src plugin); do
        layer=$(echo "$includer" | cut -d/ -f2)
        [ "${includer%%/*}" = plugin ] && layer=plugin
        case " $users " in
        *" $layer "*) ;;
        *) breach "port/$name used by a layer it does not serve" "$includer" ;;
        esac
    done
done
# No path around the include roots.
found=$(grep -rn '#include "\.\./' src plugin)
[ -z "$found" ] || breach "an include that climbs out of its directory" "$found"
exit $status
