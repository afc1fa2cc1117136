#!/bin/sh
# Installs the build into a fresh prefix and runs the installed timhost with no plugin.dir
# set: the installed layout (bin/timhost, plugins/tim-scim/) must work as it is.
set -eu
build=$1
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
for file in bin/timhost plugins/tim-scim/libtim-scim.so plugins/tim-scim/manifest.json; do
    [ -f "$prefix/$file" ] || { echo "missing after install: $file"; exit 1; }
done
printf 'log.level = warning\n' >"$prefix/tim.properties"
out=$("$prefix/bin/timhost" --config="$prefix/tim.properties" --command=scim.migrations)
case $out in
0001_schema_version.sql*) ;;
*) echo "unexpected output: $out"; exit 1 ;;
esac
[ -f "$prefix/data/tim-scim.db" ] || { echo "no database in $prefix/data"; exit 1; }
echo "1 passed, 0 failed"
