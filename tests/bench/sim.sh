#!/usr/bin/env bash
# Runs the Entra provisioning simulator on a fresh database per engine and prints its report.
#   tests/bench/sim.sh BUILD_DIR [USERS GROUPS MEMBERS WORKERS]   (default 100000 1000 100 8)
# TIM_SIM_ENGINES: the engines, in order (default "sqlite mysql"; "sqlite" needs no MariaDB).
# Each phase's progress goes to stderr every 10 s; the report to stdout and BUILD/bench/sim-*.txt.
# Needs mariadb-server for mysql. Loopback only. Exits non-zero if any engine's verification
# fails.
set -euo pipefail
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
out=$build/bench
sizes=("${2:-100000}" "${3:-1000}" "${4:-100}" "${5:-8}")
mkdir -p "$out"

read -ra engines <<<"${TIM_SIM_ENGINES:-sqlite mysql}"
[ ${#engines[@]} -gt 0 ] || { echo "TIM_SIM_ENGINES names no engine (sqlite, mysql)" >&2; exit 2; }
need_mysql=false
for engine in "${engines[@]}"; do
    case $engine in
    sqlite) ;;
    mysql) need_mysql=true ;;
    *) echo "unknown engine $engine (sqlite or mysql)" >&2; exit 2 ;;
    esac
done

. "$here/lib.sh"
if $need_mysql; then start_mariadb; else trap stop_host EXIT; fi

status=0
for engine in "${engines[@]}"; do
    prepare_engine "$engine" tim_sim
    # entra_sim's role groups (g % 20 == 5) grant sim-role-<g>; SCIM may grant only known roles.
    roles=$(seq 5 20 $((sizes[1] - 1)) | sed 's/^/sim-role-/' | paste -sd, -)
    echo "scim.roles.known = $roles" >>"$dir/tim.properties"
    start_host
    echo "== $engine"
    "$build/bin/entra_sim" "http://127.0.0.1:$port/tim/api/scim" "$token" "${sizes[@]}" | tee "$out/sim-$engine.txt" ||
        status=1
    stop_host
done
exit $status
