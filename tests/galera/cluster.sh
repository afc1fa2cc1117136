#!/bin/sh
# A private MariaDB Galera cluster on loopback: N nodes (3 by default), each with its own
# datadir, socket, config and ports under DIR/nodeI.
#   cluster.sh start DIR BASEPORT [N]  bootstrap node 1, join the others one by one (rsync
#                                      SST), wait until every node is Synced and wsrep_ready,
#                                      create the test user; ports are written to DIR/ports
#   cluster.sh stop DIR                stop every node, last one alone (clean shutdown)
#   cluster.sh node-stop DIR I         stop node I cleanly (the others keep quorum)
#   cluster.sh node-kill DIR I         SIGKILL node I (a crash)
#   cluster.sh node-start DIR I        start node I again on its datadir; it rejoins (IST)
#   cluster.sh status DIR              one line per node: port, state, cluster size
# Node I listens for SQL on BASEPORT+10*I, for Galera replication on +1, IST on +2, SST on +3.
set -eu
action=$1
dir=$2
user=tim
password=tim-test-password
provider=/usr/lib/galera/libgalera_smm.so

# As root, the nodes run as mysql: the joiner's rsync daemon, started by mariadbd, would run
# as nobody under root and could not write the datadir.
as_user=""
[ "$(id -u)" = 0 ] && as_user="user=mysql"

node_dir() { echo "$dir/node$1"; }
sql_port() { echo $((base + 10 * $1)); }

admin() {  # admin I COMMAND...
    i=$1
    shift
    mariadb-admin --no-defaults --socket="$(node_dir "$i")/mysqld.sock" -uroot "$@"
}

query() {  # query I SQL: one value, no headers
    mariadb --no-defaults --socket="$(node_dir "$1")/mysqld.sock" -uroot -N -B -e "$2" 2>/dev/null
}

# Writes node I's option file: SST scripts read the server's options from it.
write_config() {
    n=$(node_dir "$1")
    port=$(sql_port "$1")
    members=""
    for j in $(seq 1 "$count"); do
        members="$members${members:+,}127.0.0.1:$(($(sql_port "$j") + 1))"
    done
    mkdir -p "$n/tmp"
    cat >"$n/my.cnf" <<CNF
[mysqld]
$as_user
datadir=$n/data
tmpdir=$n/tmp
socket=$n/mysqld.sock
pid-file=$n/mysqld.pid
log-error=$n/error.log
port=$port
bind-address=127.0.0.1
innodb-buffer-pool-size=64M
max-connections=300
character-set-server=utf8mb4
collation-server=utf8mb4_unicode_ci
# What Galera requires of every node
binlog-format=ROW
default-storage-engine=InnoDB
innodb-autoinc-lock-mode=2
wsrep-on=ON
wsrep-provider=$provider
wsrep-cluster-name=tim-test-cluster
wsrep-cluster-address=gcomm://$members
wsrep-node-name=node$1
wsrep-node-address=127.0.0.1:$((port + 1))
wsrep-node-incoming-address=127.0.0.1:$port
wsrep-provider-options=gmcast.listen_addr=tcp://127.0.0.1:$((port + 1));ist.recv_addr=127.0.0.1:$((port + 2));gcache.size=64M;pc.recovery=FALSE
wsrep-sst-method=rsync
wsrep-sst-receive-address=127.0.0.1:$((port + 3))
wsrep-slave-threads=2
CNF
}

# Starts node I (extra mariadbd options follow) and waits until it is Synced; non-zero if not.
launch() {
    i=$1
    shift
    n=$(node_dir "$i")
    rm -f "$n/error.log"
    mariadbd --defaults-file="$n/my.cnf" "$@" >/dev/null 2>&1 &
    echo $! >"$n/launcher.pid"
    for _ in $(seq 1 600); do
        state=$(query "$i" "SHOW STATUS LIKE 'wsrep_local_state_comment'" | cut -f2 || true)
        ready=$(query "$i" "SHOW STATUS LIKE 'wsrep_ready'" | cut -f2 || true)
        [ "$state" = Synced ] && [ "$ready" = ON ] && return 0
        kill -0 "$(cat "$n/launcher.pid")" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

fail() {
    echo "$1"
    [ -f "$(node_dir "$2")/error.log" ] && tail -40 "$(node_dir "$2")/error.log"
    exit 1
}

shutdown_node() {
    n=$(node_dir "$1")
    [ -f "$n/mysqld.pid" ] || return 0
    pid=$(cat "$n/mysqld.pid")
    admin "$1" shutdown >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 600); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
    rm -f "$n/mysqld.pid"
}

load_ports() {
    [ -f "$dir/ports" ] || { echo "no cluster in $dir"; exit 1; }
    base=$(head -1 "$dir/ports" | cut -d' ' -f1)
    count=$(wc -l <"$dir/ports")
}

case $action in
start)
    base=$3
    count=${4:-3}
    for tool in mariadbd rsync; do
        command -v $tool >/dev/null || { echo "$tool not found: apt-get install mariadb-server galera-4 rsync"; exit 1; }
    done
    [ -f $provider ] || { echo "$provider not found: apt-get install galera-4"; exit 1; }
    [ -f "$dir/ports" ] && "$0" stop "$dir" >/dev/null
    rm -rf "$dir"
    mkdir -p "$dir"
    : >"$dir/ports"
    own() { [ -n "$as_user" ] && chown -R mysql:mysql "$dir" || true; }
    for i in $(seq 1 "$count"); do
        write_config "$i"
        echo "$base $(sql_port "$i")" >>"$dir/ports"
        mkdir -p "$(node_dir "$i")/data"  # empty on joiners: they receive a full copy (SST)
    done
    own
    mariadb-install-db --defaults-file="$(node_dir 1)/my.cnf" --auth-root-authentication-method=normal \
        --skip-test-db --wsrep-on=OFF >"$dir/install.log" 2>&1 || { cat "$dir/install.log"; exit 1; }
    launch 1 --wsrep-new-cluster || fail "node 1 did not bootstrap" 1
    query 1 "CREATE USER IF NOT EXISTS '$user'@'127.0.0.1' IDENTIFIED BY '$password';
             CREATE USER IF NOT EXISTS '$user'@'localhost' IDENTIFIED BY '$password';
             GRANT ALL PRIVILEGES ON *.* TO '$user'@'127.0.0.1';
             GRANT ALL PRIVILEGES ON *.* TO '$user'@'localhost';" || fail "could not create user" 1
    for i in $(seq 2 "$count"); do
        launch "$i" || fail "node $i did not join" "$i"
    done
    echo "Galera cluster of $(query 1 "SHOW STATUS LIKE 'wsrep_cluster_size'" | cut -f2) nodes," \
        "MariaDB $(admin 1 version | sed -n 's/^Server version[[:space:]]*//p'), SQL ports" \
        "$(cut -d' ' -f2 "$dir/ports" | paste -sd' ' -)"
    ;;
stop)
    [ -f "$dir/ports" ] || { echo "Galera cluster stopped"; exit 0; }
    load_ports
    for i in $(seq "$count" -1 1); do
        shutdown_node "$i"
    done
    echo "Galera cluster stopped"
    ;;
node-stop)
    load_ports
    shutdown_node "$3"
    echo "node $3 stopped"
    ;;
node-kill)
    load_ports
    n=$(node_dir "$3")
    [ -f "$n/mysqld.pid" ] && kill -9 "$(cat "$n/mysqld.pid")" 2>/dev/null || true
    rm -f "$n/mysqld.pid"
    echo "node $3 killed"
    ;;
node-start)
    load_ports
    launch "$3" || fail "node $3 did not rejoin" "$3"
    echo "node $3 rejoined, cluster size $(query "$3" "SHOW STATUS LIKE 'wsrep_cluster_size'" | cut -f2)"
    ;;
status)
    load_ports
    for i in $(seq 1 "$count"); do
        echo "node$i $(sql_port "$i") $(query "$i" "SHOW STATUS LIKE 'wsrep_local_state_comment'" | cut -f2 || echo down)" \
            "size=$(query "$i" "SHOW STATUS LIKE 'wsrep_cluster_size'" | cut -f2 || echo -)"
    done
    ;;
*)
    echo "usage: $0 start DIR BASEPORT [N] | stop DIR | node-stop|node-kill|node-start DIR I | status DIR"
    exit 2
    ;;
esac
