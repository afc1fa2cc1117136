#!/usr/bin/env bash
# A/B: one scenario against two built trees (say, main before and after a change), on both
# engines, rounds alternating A and B so that the VM's drift falls on both alike.
#   tests/bench/ab.sh BUILD_A BUILD_B [SCENARIO]
# SCENARIO: a name of scenarios.lua (default post). TIM_BENCH_USERS preloaded (default 20000),
# TIM_BENCH_SECONDS per run (default 10), TIM_BENCH_ROUNDS (default 3). Needs wrk and
# mariadb-server. Loopback only; every run is bounded. Prints req/s and p50 per run, and the
# median of each side.
set -euo pipefail
build_a=$(cd "$1" && pwd)
build_b=$(cd "$2" && pwd)
scenario=${3:-post}
here=$(cd "$(dirname "$0")" && pwd)
out=$build_b/bench-ab
users=${TIM_BENCH_USERS:-20000}
seconds=${TIM_BENCH_SECONDS:-10}
rounds=${TIM_BENCH_ROUNDS:-3}
mkdir -p "$out"
command -v wrk >/dev/null || { echo "wrk not found: apt-get install wrk"; exit 1; }

. "$here/lib.sh"
start_mariadb

results="$out/ab.txt"
: >"$results"
for engine in sqlite mysql; do
    for round in $(seq 1 "$rounds"); do
        for side in a b; do
            build=$build_a
            [ "$side" = b ] && build=$build_b
            prepare_engine "$engine" tim_bench_ab
            "$build/bin/bench_preload" "${db_args[@]}" "$users" >/dev/null
            start_host
            line=$(TIM_BENCH_TOKEN=$token TIM_BENCH_DIR=$here TIM_BENCH_SCENARIO=$scenario \
                wrk -t2 -c16 -d"${seconds}s" --latency -s "$here/scenarios.lua" \
                "http://127.0.0.1:$port" | sed -n 's/^RESULT //p')
            stop_host
            echo "$engine $side $round $line" | tee -a "$results"
        done
    done
done

python3 - "$results" "$scenario" <<'PY'
import json, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    engine, side, _, result = line.split(" ", 3)
    runs.setdefault((engine, side), []).append(json.loads(result))
for engine in ("sqlite", "mysql"):
    a = [r["rps"] for r in runs[(engine, "a")]]
    b = [r["rps"] for r in runs[(engine, "b")]]
    print(f"{engine} {sys.argv[2]}: A {statistics.median(a):.0f} req/s {[round(x) for x in a]}, "
          f"B {statistics.median(b):.0f} req/s {[round(x) for x in b]}, "
          f"B/A {statistics.median(b) / statistics.median(a):.2f}")
PY
