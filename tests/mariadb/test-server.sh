#!/bin/sh
# A private MariaDB for the tests: its own datadir, socket and port under DIR.
#   test-server.sh start DIR PORT   initialise, start on PORT or the next free port above it
#                                   (written to DIR/port for the tests), create the test user
#   test-server.sh stop DIR PORT    stop it and wait until it has exited
#   test-server.sh resume DIR PORT  start it again on its datadir and port (after stop)
#   test-server.sh freeze DIR PORT  stop the process (SIGSTOP): connections stay open but
#                                   nothing answers, as with a hung or unreachable server
#   test-server.sh thaw DIR PORT    let it run again (SIGCONT)
# TIM_MARIADB_SERVER_OPTIONS: more mariadbd options for start and resume, split on spaces,
# without quotes or wildcards (the benchmarks size InnoDB for a million users; the tests keep a
# small server).
set -eu
action=$1
dir=$2
port=$3
data=$dir/data
socket=$dir/mysqld.sock
pidfile=$dir/mysqld.pid
# A tmpdir of its own: two servers bootstrapping at once in /tmp (ctest -j2 runs this suite's
# server and the fault test's) collide on temporary table files and the install fails.
tmp=$dir/tmp
user=tim
password=tim-test-password

as_user=""
[ "$(id -u)" = 0 ] && as_user="--user=root"

admin() {
    mariadb-admin --no-defaults --socket="$socket" -uroot "$@"
}

# Starts mariadbd on the datadir at port $1 and waits until it answers; non-zero if it does not.
launch() {
    rm -f "$dir/error.log"
    mkdir -p "$tmp"
    mariadbd --no-defaults $as_user --datadir="$data" --tmpdir="$tmp" --socket="$socket" --port="$1" \
        --bind-address=127.0.0.1 --pid-file="$pidfile" --log-error="$dir/error.log" \
        --innodb-buffer-pool-size=128M --max-connections=500 \
        --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
        ${TIM_MARIADB_SERVER_OPTIONS:-} >/dev/null 2>&1 &
    server=$!
    for _ in $(seq 1 200); do
        admin ping >/dev/null 2>&1 && break
        kill -0 "$server" 2>/dev/null || break
        sleep 0.1
    done
    admin ping >/dev/null 2>&1
}

case $action in
resume)
    # After stop: the same datadir, on the port start chose.
    launch "$(cat "$dir/port")" || { echo "MariaDB did not resume:"; cat "$dir/error.log"; exit 1; }
    echo "MariaDB resumed on 127.0.0.1:$(cat "$dir/port")"
    ;;
start)
    command -v mariadbd >/dev/null || { echo "mariadbd not found: apt-get install mariadb-server"; exit 1; }
    if [ ${#socket} -gt 100 ]; then
        echo "socket path too long for a Unix socket: $socket"
        exit 1
    fi
    mkdir -p "$dir"
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        "$0" stop "$dir" "$port"
    fi
    rm -rf "$data"
    mkdir -p "$tmp"
    mariadb-install-db --no-defaults $as_user --datadir="$data" --tmpdir="$tmp" \
        --auth-root-authentication-method=normal --skip-test-db >"$dir/install.log" 2>&1 ||
        { cat "$dir/install.log"; exit 1; }
    started=""
    for candidate in $(seq "$port" $((port + 20))); do
        if launch "$candidate"; then
            started=$candidate
            break
        fi
        grep -q "Address already in use" "$dir/error.log" 2>/dev/null || break
        wait "$server" 2>/dev/null || true
    done
    [ -n "$started" ] || { echo "MariaDB did not start:"; cat "$dir/error.log"; exit 1; }
    port=$started
    echo "$port" >"$dir/port"
    mariadb --no-defaults --socket="$socket" -uroot <<SQL
CREATE USER IF NOT EXISTS '$user'@'127.0.0.1' IDENTIFIED BY '$password';
CREATE USER IF NOT EXISTS '$user'@'localhost' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON *.* TO '$user'@'127.0.0.1';
GRANT ALL PRIVILEGES ON *.* TO '$user'@'localhost';
SQL
    echo "MariaDB $(admin version | sed -n 's/^Server version[[:space:]]*//p') on 127.0.0.1:$port"
    ;;
freeze)
    pid=$(cat "$pidfile")
    kill -STOP "$pid"
    # kill returns before the threads stop: a query sent right after could still be answered.
    # Frozen means every thread of the server shows state T (stopped).
    for _ in $(seq 1 100); do
        running=$(awk '{ print $3 }' /proc/"$pid"/task/*/stat 2>/dev/null | grep -cv '^[Tt]$' || true)
        [ "$running" = 0 ] && exit 0
        sleep 0.05
    done
    echo "MariaDB $pid did not stop"
    exit 1
    ;;
thaw)
    kill -CONT "$(cat "$pidfile")"
    ;;
stop)
    if [ -f "$pidfile" ]; then
        pid=$(cat "$pidfile")
        kill -CONT "$pid" 2>/dev/null || true  # a frozen server cannot shut down
        admin shutdown >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 300); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            kill -9 "$pid"
        fi
    fi
    echo "MariaDB stopped"
    ;;
*)
    echo "usage: $0 start|stop|resume|freeze|thaw DIR PORT"
    exit 2
    ;;
esac
