#!/usr/bin/env bash
# Runs every fuzz target of a -DTIM_FUZZ=ON build over its corpus in tests/fuzz/corpus/.
#   tests/fuzz/run.sh BUILD_DIR          each target once over its seed corpus (the CI smoke run)
#   tests/fuzz/run.sh BUILD_DIR SECONDS  each target fuzzing for SECONDS; new inputs go to
#                                        BUILD_DIR/fuzz-corpus/TARGET, crashes to BUILD_DIR/fuzz-crashes/
set -euo pipefail
build=$(cd "$1" && pwd)
seconds=${2:-0}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$build/fuzz-crashes"
for target in filter patch_path patch_engine body; do
    binary=$build/bin/fuzz_$target
    if [ "$seconds" = 0 ]; then
        "$binary" -runs=0 "$here/corpus/$target" 2>&1 | tail -1
    else
        mkdir -p "$build/fuzz-corpus/$target"
        "$binary" -max_total_time="$seconds" -artifact_prefix="$build/fuzz-crashes/$target-" \
            -print_final_stats=1 "$build/fuzz-corpus/$target" "$here/corpus/$target" 2>&1 |
            grep -E "stat::number_of_executed_units|stat::peak_rss_mb|Done|ERROR|SUMMARY" || true
    fi
done
