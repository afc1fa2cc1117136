#!/usr/bin/env bash
# The run target: timhost with the plugin in the foreground (its log on the terminal). Once it
# listens, the SCIM URL and a new bearer token are printed last, together. Ctrl-C stops it.
# Usage: run-local.sh TIMHOST CONFIG PORT BASEPATH
set -u
timhost=$1 config=$2 port=$3 base=$4
url="http://127.0.0.1:$port$base"

"$timhost" --config="$config" &
host=$!
trap 'kill -TERM "$host" 2>/dev/null' INT TERM

listening=
for _ in $(seq 1 300); do  # 30 s
  if ! kill -0 "$host" 2>/dev/null; then
    wait "$host"
    exit $?  # it said why on the terminal
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    listening=yes
    break
  fi
  sleep 0.1
done
if [ -z "$listening" ]; then
  echo "timhost did not listen on port $port within 30 s" >&2
  kill -TERM "$host"
  wait "$host"
  exit 1
fi

errors=$(mktemp)
if ! token=$("$timhost" --config="$config" --command=scim.token.generate --label local-run 2>"$errors"); then
  cat "$errors" >&2
  rm -f "$errors"
  kill -TERM "$host"
  wait "$host"
  exit 1
fi
rm -f "$errors"
if ! kill -0 "$host" 2>/dev/null; then  # another program held the port: ours could not bind
  wait "$host"
  exit $?
fi

cat <<TEXT

==========================================================================================
timhost is running (its log is above; Ctrl-C stops it).

SCIM base URL, this machine only:  $url
Bearer token (label local-run; scim.token.list and scim.token.revoke manage it):
$token

Try it:
  curl -H "Authorization: Bearer $token" $url/ServiceProviderConfig

Entra cannot reach this loopback URL: it needs the https:// Tenant URL of
docs/admin-guide.md, section 2, and a token made with that host's tim.properties.
==========================================================================================
TEXT
status=0
wait "$host" || status=$?
if [ "$status" -gt 128 ]; then  # the trap interrupted the wait: the host's own status follows
  status=0
  wait "$host" || status=$?
fi
exit "$status"
