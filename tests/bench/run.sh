#!/usr/bin/env bash
# Runs the benchmark suite against a built tree and prints a table; writes BUILD/bench/results.json.
#   tests/bench/run.sh BUILD_DIR
# TIM_BENCH_USERS (default 100000), TIM_BENCH_SECONDS per scenario (default 10). Needs wrk and
# mariadb-server (apt-get install wrk mariadb-server). Loopback only; every run is bounded.
set -euo pipefail
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
out=$build/bench
users=${TIM_BENCH_USERS:-100000}
seconds=${TIM_BENCH_SECONDS:-10}
connections=16
mkdir -p "$out"
command -v wrk >/dev/null || { echo "wrk not found: apt-get install wrk"; exit 1; }

. "$here/lib.sh"
start_mariadb

results="$out/results.jsonl"
: >"$results"
ticks=$(getconf CLK_TCK)

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# CPU of the database server, MariaDB's process (SQLite runs inside timhost: 0).
db_ticks() { if [ "$engine" = mysql ]; then cpu_ticks "$(cat "$out/mariadb/mysqld.pid")"; else echo 0; fi; }
percent() { awk -v a="$2" -v b="$1" -v t="$ticks" -v s="$start" -v e="$end" \
    'BEGIN {printf "%.1f", 100 * (a - b) / t / (e - s)}'; }
rss_mb() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }

for engine in sqlite mysql; do
    prepare_engine "$engine" tim_bench
    "$build/bin/bench_preload" "${db_args[@]}" "$users" >/dev/null
    start_host
    # An import job walks all users in pages of 200, by index and by cursor (before the
    # scenarios add users).
    for mode in index cursor; do
        line=$(python3 "$here/walk.py" "http://127.0.0.1:$port/tim/api/scim" "$token" "$mode" 200)
        echo "{\"engine\":\"$engine\",\"scenario\":\"walk_$mode\",${line#\{}" >>"$results"
    done
    # page_alone and cursor_alone: a deep page with one client, its latency without queueing
    # behind 15 others; cursor_alone continues a walk after its 50,000th user.
    cursor=$(python3 "$here/walk.py" "http://127.0.0.1:$port/tim/api/scim" "$token" cursor 200 \
        --cursor-at $((users / 2)))
    for scenario in noop filter get post patch group page page_alone cursor_alone; do
        threads=2 clients=$connections
        case $scenario in page_alone | cursor_alone) threads=1 clients=1 ;; esac
        before=$(cpu_ticks "$host_pid") db_before=$(db_ticks)
        start=$(date +%s.%N)
        line=$(TIM_BENCH_TOKEN=$token TIM_BENCH_DIR=$here TIM_BENCH_SCENARIO=$scenario \
            TIM_BENCH_CURSOR=$cursor \
            wrk -t$threads -c$clients -d"${seconds}s" --latency -s "$here/scenarios.lua" \
            "http://127.0.0.1:$port" | sed -n 's/^RESULT //p')
        end=$(date +%s.%N)
        cpu=$(percent "$before" "$(cpu_ticks "$host_pid")")
        db_cpu=$(percent "$db_before" "$(db_ticks)")
        echo "{\"engine\":\"$engine\",\"scenario\":\"$scenario\",\"server_cpu_pct\":$cpu,\"db_cpu_pct\":$db_cpu,\"rss_mb\":$(rss_mb "$host_pid"),${line#\{}" >>"$results"
    done
    stop_host
    echo "{\"engine\":\"$engine\",\"scenario\":\"db\",$("$build/bin/bench_db_rates" "${db_args[@]}" | sed 's/^{//')" >>"$results"
done

python3 - "$results" "$out/results.json" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
json.dump(rows, open(sys.argv[2], "w"), indent=1)
for engine in ("sqlite", "mysql"):
    db = next(r for r in rows if r["engine"] == engine and r["scenario"] == "db")
    noop = next(r for r in rows if r["engine"] == engine and r["scenario"] == "noop")
    print(f"\n{engine}: db select {db['select_by_key_per_s']}/s, single insert {db['single_insert_per_s']}/s, "
          f"multi-row insert {db['multi_row_insert_rows_per_s']} rows/s, "
          f"a POST's writes without HTTP {db['store_create_per_s']}/s "
          f"({db['store_create_16_threads_per_s']}/s from 16 threads; "
          f"{db['store_create_16_threads_cpu_us']} us of the client's CPU each)")
    print(f"{'scenario':10} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'cpu %':>6} {'db cpu %':>8} "
          f"{'cpu us/req':>10} {'rss MB':>7} {'ratio':>22}")
    for r in rows:
        if r["engine"] == engine and r["scenario"].startswith("walk_"):
            print(f"{r['scenario']:10} {r['resources']} users in {r['pages']} pages of "
                  f"{r['page_size']}: {r['seconds']} s")
        if r["engine"] != engine or r["scenario"] == "db" or r["scenario"].startswith("walk_"):
            continue
        ceiling = {"filter": ("noop", noop["rps"]), "get": ("noop", noop["rps"]),
                   "post": ("1-row insert", db["single_insert_per_s"])}.get(r["scenario"])
        ratio = f"{r['rps'] / ceiling[1]:.2f} of {ceiling[0]}" if ceiling else ""
        # timhost's and the database server's CPU per request: N CPUs allow N * 1e6 / it per second.
        per_request = 1e4 * (r['server_cpu_pct'] + r['db_cpu_pct']) / r['rps'] if r['rps'] else 0
        print(f"{r['scenario']:10} {r['rps']:9.0f} {r['p50_ms']:8.2f} {r['p99_ms']:8.2f} {r['errors']:7d} "
              f"{r['server_cpu_pct']:6.0f} {r['db_cpu_pct']:8.0f} {per_request:10.0f} {r['rss_mb']:7d} {ratio:>22}")
PY
