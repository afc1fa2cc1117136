#!/usr/bin/env bash
# Several TIM hosts on a MariaDB Galera cluster, on this machine's loopback: a 3-node cluster
# (cluster.sh) and one timhost with the plugin per node, each pointed at its own node, all on
# database "tim".
#   scale-out.sh up BUILD_DIR DIR [BASEPORT]   start it all; prints each host's SCIM URL and a
#                                              bearer token (node I on BASEPORT+10*I, host I on
#                                              BASEPORT+90+I; BASEPORT 29400 by default)
#   scale-out.sh down BUILD_DIR DIR            stop the hosts, then the cluster
# Needs mariadb-server, galera-4 and rsync, and a build of timhost and the plugin.
set -eu
action=$1
build=$(cd "$2" && pwd)
dir=$3
base=${4:-29400}
here=$(cd "$(dirname "$0")" && pwd)
hosts=3

stop_hosts() {
    for i in $(seq 1 $hosts); do
        pidfile=$dir/host$i/timhost.pid
        [ -f "$pidfile" ] || continue
        pid=$(cat "$pidfile")
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$pid" 2>/dev/null || true
        rm -f "$pidfile"
    done
}

case $action in
up)
    [ -x "$build/bin/timhost" ] || { echo "no timhost in $build: build it first"; exit 1; }
    mkdir -p "$dir"
    "$here/cluster.sh" start "$dir/cluster" "$base" 3
    mariadb --no-defaults --socket="$dir/cluster/node1/mysqld.sock" -uroot \
        -e "CREATE DATABASE IF NOT EXISTS tim CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
    for i in $(seq 1 $hosts); do
        h=$dir/host$i
        rm -rf "$h"
        mkdir -p "$h/plugins" "$h/data"
        ln -s "$build/plugins/tim-scim" "$h/plugins/tim-scim"
        cat >"$h/tim.properties" <<PROPERTIES
http.address = 127.0.0.1
http.port = $((base + 90 + i))
plugin.dir = $h/plugins
data.dir = $h/data
scim.db.connector = mysql
scim.db.host = 127.0.0.1
scim.db.port = $((base + 10 * i))
scim.db.name = tim
scim.db.user = tim
scim.db.password = tim-test-password
PROPERTIES
        # Not on our stdout: whoever reads it (a $(...)) would wait for the hosts to exit.
        (cd "$h" && exec "$build/bin/timhost" --config="$h/tim.properties" >/dev/null 2>"$h/timhost.log") &
        echo $! >"$h/timhost.pid"
    done
    for i in $(seq 1 $hosts); do
        port=$((base + 90 + i))
        for _ in $(seq 1 200); do
            (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break
            kill -0 "$(cat "$dir/host$i/timhost.pid")" 2>/dev/null ||
                { echo "host $i did not start:"; cat "$dir/host$i/timhost.log"; stop_hosts; exit 1; }
            sleep 0.1
        done
        echo "host $i: http://127.0.0.1:$port/tim/api/scim (node $i, log $dir/host$i/timhost.log)"
    done
    token=$("$build/bin/timhost" --config="$dir/host1/tim.properties" \
        --command=scim.token.generate 2>/dev/null | tail -1)
    echo "bearer token (valid on every host): $token"
    ;;
down)
    stop_hosts
    "$here/cluster.sh" stop "$dir/cluster"
    ;;
*)
    echo "usage: $0 up BUILD_DIR DIR [BASEPORT] | down BUILD_DIR DIR"
    exit 2
    ;;
esac
