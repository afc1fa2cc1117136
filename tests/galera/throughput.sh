#!/bin/sh
# Measures SCIM throughput through 1, 2 and 3 timhost instances, host I on node I of a private
# 3-node Galera cluster, with the same Entra-like traffic as the galera test (no faults), and
# checks every node afterwards. Prints, and writes to BUILD_DIR/tests/galera-throughput/:
#   tests/galera/throughput.sh BUILD_DIR [BASEPORT]      (needs mariadb-server galera-4 rsync)
set -eu
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
dir=$build/tests/galera-throughput
port=${2:-29200}
trap '"$here/cluster.sh" stop "$dir" >/dev/null' EXIT
"$here/cluster.sh" start "$dir" "$port" 3
env TIMHOST="$build/bin/timhost" TIM_SCIM_PLUGIN_DIR="$build/plugins/tim-scim" \
    TIM_TEST_GALERA_SCRIPT="$here/cluster.sh" TIM_TEST_GALERA_DIR="$dir" \
    "$build/bin/tim_galera_tests" GaleraThroughput
echo "written to $dir/throughput.txt"
