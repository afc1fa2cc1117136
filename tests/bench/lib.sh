# Shared by run.sh and sim.sh: a private MariaDB and one timhost per engine, all under BUILD/bench.
# Callers set: build, here, out. Provides: start_mariadb, prepare_engine, start_host, stop_host.
host_pid=""
mysql_port=""

# InnoDB as its authors size it for many small writers: the working set in the buffer pool (a
# million users' rows, documents and indexes are about 2.3 GB; the tests' 128 MB made every
# write of that cycle wait for reads), a redo log that absorbs bursts between checkpoints.
# Durability stays the default: the redo log flushed at every commit.
bench_mariadb_options="--innodb-buffer-pool-size=4G --innodb-log-file-size=1G"

start_mariadb() {
    TIM_MARIADB_SERVER_OPTIONS="$bench_mariadb_options" \
        "$here/../mariadb/test-server.sh" start "$out/mariadb" 33161 >/dev/null
    mysql_port=$(cat "$out/mariadb/port")
    trap 'stop_host; "$here/../mariadb/test-server.sh" stop "$out/mariadb" 33161 >/dev/null || true' EXIT
}

# prepare_engine ENGINE DBNAME: fresh plugin dir, properties and database; sets dir, port, db_args.
prepare_engine() {
    local engine=$1 dbname=$2
    dir="$out/$engine"
    rm -rf "$dir"
    mkdir -p "$dir/plugins" "$dir/data"
    ln -s "$build/plugins/tim-scim" "$dir/plugins/tim-scim"
    ln -s "$build/tests/bench/plugins/noop" "$dir/plugins/noop"
    port=$((18700 + RANDOM % 500))
    {
        echo "http.address = 127.0.0.1"
        echo "http.port = $port"
        echo "plugin.dir = $dir/plugins"
        echo "data.dir = $dir/data"
        echo "log.level = warning"
        if [ "$engine" = mysql ]; then
            echo "scim.db.connector = mysql"
            echo "scim.db.port = $mysql_port"
            echo "scim.db.user = tim"
            echo "scim.db.password = tim-test-password"
            echo "scim.db.name = $dbname"
        fi
    } >"$dir/tim.properties"
    if [ "$engine" = mysql ]; then
        mariadb --no-defaults -h127.0.0.1 -P"$mysql_port" -utim -ptim-test-password \
            -e "DROP DATABASE IF EXISTS $dbname; CREATE DATABASE $dbname CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
        db_args=(mysql 127.0.0.1 "$mysql_port" tim tim-test-password "$dbname")
    else
        db_args=(sqlite "$dir/data/tim-scim.db")
    fi
}

# start_host: issues a token (sets token) and starts timhost on the prepared engine.
start_host() {
    token=$("$build/bin/timhost" --config="$dir/tim.properties" --command=scim.token.generate 2>/dev/null)
    "$build/bin/timhost" --config="$dir/tim.properties" 2>"$dir/timhost.log" &
    host_pid=$!
    for _ in $(seq 1 100); do
        curl -s -o /dev/null "http://127.0.0.1:$port/noop" && return 0
        sleep 0.1
    done
    echo "timhost did not start; see $dir/timhost.log" >&2
    return 1
}

stop_host() {
    [ -n "$host_pid" ] || return 0
    kill "$host_pid" 2>/dev/null || true
    wait "$host_pid" 2>/dev/null || true
    host_pid=""
}
