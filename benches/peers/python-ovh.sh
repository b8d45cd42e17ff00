#!/usr/bin/env bash
# python-ovh (the official OVH client for Python) against our typed OVH client: GET /me
# on the same mock, in the same run. Not part of CI: it needs PyPI for its virtualenv.
#
#     benches/peers/python-ovh.sh [--runs R] [--seconds S] [--warm-up S]
#                                 [--threads 1,2,4,8,16,64] [--in-flight 1,64] [--out FILE]
#
# What it does:
#   1. makes a virtualenv outside the repository, in
#      ${XDG_CACHE_HOME:-$HOME/.cache}/signed-api/peers-venv (PEERS_VENV overrides it),
#      and installs ovh==1.2.0 from PyPI into it (once; later runs find it there);
#   2. builds the throughput driver (cargo bench --bench throughput --no-run; set
#      CARGO_TARGET_DIR as for any other build);
#   3. runs python-ovh.py beside this file, which starts the driver's `serve` (the mock,
#      fixed OVH credentials), measures python-ovh sequentially and with threads, and our
#      typed client and a plain reqwest loop at 1 and 64 in flight through the driver,
#      round after round, prints requests/s and the ratios, and writes
#      ${CARGO_TARGET_DIR:-target}/bench-results/peers.json (see python-ovh.py for its
#      method).
#
# Flags are passed on to python-ovh.py. Needs python3 (3.8 or later) with venv.
set -euo pipefail

OVH_VERSION=1.2.0

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
venv=${PEERS_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/signed-api/peers-venv}

if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "ovh==$OVH_VERSION"

# The driver's executable, from cargo's own report of what it built.
driver=$(
    cd "$repo" &&
        cargo bench --bench throughput --no-run --message-format=json-render-diagnostics |
        "$venv/bin/python" -c '
import json, sys
for line in sys.stdin:
    message = json.loads(line)
    if message.get("reason") == "compiler-artifact" and message["target"]["name"] == "throughput" \
            and message.get("executable"):
        print(message["executable"])
'
)
if [ -z "$driver" ]; then
    echo "python-ovh.sh: cargo built no throughput executable" >&2
    exit 1
fi

out=${CARGO_TARGET_DIR:-$repo/target}/bench-results/peers.json
exec "$venv/bin/python" "$here/python-ovh.py" --driver "$driver" --out "$out" "$@"
