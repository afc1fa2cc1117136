#!/usr/bin/env bash
# Builds the Debian packages (CPack), unpacks them into a temporary root with dpkg-deb -x,
# checks them with lintian, verifies the systemd unit, and runs the packaged timhost with the packaged plugin and its packaged tim.properties (only
# the directories moved under that root) on SQLite: a short Entra-like flow over HTTP.
set -euo pipefail
export LC_ALL=C
build=$1
work=$(mktemp -d)
host_pid=""
cleanup() {
    [ -z "$host_pid" ] || kill "$host_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAILED: $*"; [ ! -f "$work/timhost.log" ] || tail -20 "$work/timhost.log"; exit 1; }

rm -f "$build"/*.deb
cmake --build "$build" --target package >"$work/cpack.log" 2>&1 || { cat "$work/cpack.log"; fail "cpack"; }
host_deb=$(ls "$build"/timhost_*.deb)
plugin_deb=$(ls "$build"/tim-scim_*.deb)

# What dpkg would see: computed dependencies, the conffile, the maintainer scripts.
depends=$(dpkg-deb -f "$plugin_deb" Depends)
case $depends in *libpoco*) ;; *) fail "tim-scim depends on no Poco package: $depends" ;; esac
host_depends=$(dpkg-deb -f "$host_deb" Depends)
case $host_depends in *adduser*libpoco* | *libpoco*adduser*) ;; *) fail "timhost depends: $host_depends" ;; esac
[ "$(dpkg-deb -I "$host_deb" conffiles)" = /etc/tim/tim.properties ] || fail "conffiles"
# The conffile holds the database password: 0640 in the package, not only after postinst.
conffile=$(dpkg-deb -c "$host_deb" | grep ' \./etc/tim/tim\.properties$')
case $conffile in
    -rw-r-----*) ;;
    *) fail "tim.properties is not 0640 in the package: $conffile" ;;
esac
dpkg-deb -I "$host_deb" postinst | grep -q "adduser --system" || fail "postinst"

# Debian policy as lintian checks it: no errors (warnings are listed in the log).
lintian --fail-on error "$host_deb" "$plugin_deb" >"$work/lintian.log" 2>&1 ||
    { cat "$work/lintian.log"; fail "lintian"; }

root=$work/root
dpkg-deb -x "$host_deb" "$root"
dpkg-deb -x "$plugin_deb" "$root"
for file in usr/bin/timhost etc/tim/tim.properties usr/lib/systemd/system/timhost.service \
    usr/lib/tim/plugins/tim-scim/libtim-scim.so usr/lib/tim/plugins/tim-scim/manifest.json \
    usr/share/doc/tim-scim/admin-guide.md usr/share/doc/tim-scim/nginx-tim-scim.conf; do
    [ -f "$root/$file" ] || fail "missing from the packages: $file"
done

# The unit as systemd reads it, next to the system's own units: systemd-analyze verify says
# nothing (it exits 0 on unknown keys and bad values, so its output is the verdict).
cp -rn /usr/lib/systemd/system/. "$root/usr/lib/systemd/system/"
verdict=$(systemd-analyze verify --root="$root" timhost.service 2>&1) || fail "systemd-analyze: $verdict"
[ -z "$verdict" ] || fail "systemd-analyze verify: $verdict"
# Its exposure as systemd scores it, at most 2.0 (20 on the threshold's 0-100 scale).
systemd-analyze security --offline=true --threshold=20 --root="$root" timhost.service \
    >"$work/security.log" 2>&1 || { cat "$work/security.log"; fail "systemd-analyze security: exposure above 2.0"; }
grep -q "Overall exposure level for timhost.service: [01]\." "$work/security.log" ||
    { cat "$work/security.log"; fail "systemd-analyze security gave no score"; }

# A free port: nothing answers on it.
port=$((20000 + RANDOM % 10000))
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
sed -e "s|^plugin.dir = /usr/lib/tim/plugins|plugin.dir = $root/usr/lib/tim/plugins|" \
    -e "s|^data.dir = /var/lib/tim|data.dir = $work/data|" \
    -e "s|^http.port = 8080|http.port = $port|" \
    -e "s|^log.level = information|log.level = warning|" \
    "$root/etc/tim/tim.properties" >"$work/tim.properties"
grep -q "^plugin.dir = $root" "$work/tim.properties" || fail "the packaged tim.properties has no plugin.dir"
timhost=("$root/usr/bin/timhost" "--config=$work/tim.properties")
token=$("${timhost[@]}" --command=scim.token.generate 2>"$work/timhost.log") || fail "token"
"${timhost[@]}" 2>>"$work/timhost.log" &
host_pid=$!
for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
done

# request METHOD PATH [BODY]: sets status and body (one request per connection).
request() {
    local method=$1 path=$2 payload=${3:-} response
    exec 3<>"/dev/tcp/127.0.0.1/$port"
    printf '%s /tim/api/scim%s HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nAuthorization: Bearer %s\r\nContent-Type: application/scim+json\r\nContent-Length: %s\r\nConnection: close\r\n\r\n%s' \
        "$method" "$path" "$port" "$token" "${#payload}" "$payload" >&3
    response=$(cat <&3)
    exec 3<&-
    status=$(printf '%s' "$response" | head -1 | cut -d' ' -f2)
    body=${response#*$'\r\n\r\n'}
}
expect() { [ "$status" = "$1" ] || fail "$2: $status $body"; }

request POST /Users '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"externalId":"e-1","userName":"pkg@example.com","active":true}'
expect 201 "POST /Users"
id=$(printf '%s' "$body" | grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4)
[ -n "$id" ] || fail "no id in $body"
request GET '/Users?filter=userName%20eq%20%22pkg%40example.com%22'
expect 200 "GET by userName"
case $body in *'"totalResults":1'*) ;; *) fail "filter: $body" ;; esac
request PATCH "/Users/$id" '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}'
expect 200 "PATCH active"
case $body in *'"active":false'*) ;; *) fail "PATCH: $body" ;; esac
request DELETE "/Users/$id"
expect 204 "DELETE"
request GET "/Users/$id"
expect 404 "GET after DELETE"

kill -TERM "$host_pid"
wait "$host_pid" || fail "timhost exited with $?"
host_pid=""
echo "1 passed, 0 failed"
