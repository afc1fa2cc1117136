#!/usr/bin/env bash
# scale-out.sh brings up three hosts on three nodes, each answers a SCIM request with the one
# token it printed, a user created through host 1 is read through host 3, and down stops it all.
#   check-scale-out.sh BUILD_DIR DIR BASEPORT
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$1
dir=$2
base=$3
trap '"$here/scale-out.sh" down "$build" "$dir" >/dev/null 2>&1 || true' EXIT
out=$("$here/scale-out.sh" up "$build" "$dir" "$base")
echo "$out" | grep -v "^bearer token"  # not the token into the test log
token=$(echo "$out" | sed -n 's/^bearer token (valid on every host): //p')
[ -n "$token" ] || { echo "no token printed"; exit 1; }
[ "$(echo "$out" | grep -c '^host [123]: http://127.0.0.1:')" = 3 ] || { echo "not three hosts"; exit 1; }

# request PORT METHOD PATH [BODY]: prints the status line and body
request() {
    exec 3<>"/dev/tcp/127.0.0.1/$1"
    printf '%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\nContent-Type: application/scim+json\r\nContent-Length: %s\r\nConnection: close\r\n\r\n%s' \
        "$2" "$3" "$token" "${#4}" "$4" >&3
    cat <&3
    exec 3<&-
}

created=$(request $((base + 91)) POST /tim/api/scim/Users '{"userName":"scale@example.com","externalId":"x1"}')
echo "$created" | head -1 | grep -q " 201 " || { echo "POST through host 1: $created"; exit 1; }
found=$(request $((base + 93)) GET '/tim/api/scim/Users?filter=userName%20eq%20%22scale@example.com%22' '')
echo "$found" | grep -q '"totalResults":1' || { echo "GET through host 3: $found"; exit 1; }
for port in $((base + 91)) $((base + 92)) $((base + 93)); do
    request "$port" GET /tim/api/scim/ServiceProviderConfig '' | head -1 | grep -q " 200 " ||
        { echo "host on $port did not answer 200"; exit 1; }
done
"$here/scale-out.sh" down "$build" "$dir"
trap - EXIT
echo "scale-out: three hosts on three nodes served, and stopped"
