#!/bin/sh
# Fails unless the library's dynamic symbol table defines exactly the tim_plugin_* entries.
set -eu
library=$1
exported=$(nm -D --defined-only "$library" | awk '{print $3}' | sort)
expected="tim_plugin_abi_version
tim_plugin_build_fingerprint
tim_plugin_init
tim_plugin_shutdown"
if [ "$exported" != "$expected" ]; then
    echo "unexpected exports in $library:"
    echo "$exported"
    exit 1
fi
echo "1 passed, 0 failed"
