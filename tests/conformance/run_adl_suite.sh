#!/usr/bin/env bash
# Run the ADL LRS conformance suite (adlnet/lrs-conformance-test-suite, vendored beside this
# script at commit 2ec25f2) against a fresh Tessera served by `tessera run` on 127.0.0.1.
#
#   tests/conformance/run_adl_suite.sh [VERSION...]      # default: 2.0.0 1.0.3
#
# Needs node and npm (the suite's packages come from the npm registry, pinned by its
# package-lock.json). Everything it makes goes to $CONFORMANCE_WORK (default .conformance/):
# the suite with its node_modules, a SQLite instance, the server log, the suite's logs and a
# summary per version (summary-VERSION.txt). The suite's exit code is its failure count mod
# 256, so the result is read from its log file; this script exits non-zero only when it could
# not run the suite. Settings: CONFORMANCE_PORT (8765), CONFORMANCE_TIMEOUT seconds per
# version (2400), CONFORMANCE_GREP (a mocha title pattern, to run a subset).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/tests/conformance"
work=${CONFORMANCE_WORK:-$root/.conformance}
port=${CONFORMANCE_PORT:-8765}
limit=${CONFORMANCE_TIMEOUT:-2400}
python=${PYTHON:-$root/.venv/bin/python}
tessera=${TESSERA:-$root/.venv/bin/tessera}
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(2.0.0 1.0.3)

command -v node >/dev/null && command -v npm >/dev/null || {
    echo "run_adl_suite: node and npm are needed to run the ADL conformance suite" >&2
    exit 2
}
[ -x "$tessera" ] || { echo "run_adl_suite: $tessera is missing; run make lint first" >&2; exit 2; }

# 1. The suite, installed once per change of its files.
mkdir -p "$work"
suite="$work/suite"
stamp=$(cd "$here/lrs-conformance-test-suite" && find . -type f -print0 | sort -z | xargs -0 cat | sha256sum | cut -c1-16)
if [ "$(cat "$suite/.installed" 2>/dev/null)" != "$stamp" ]; then
    rm -rf "$suite"
    cp -R "$here/lrs-conformance-test-suite" "$suite"
    (cd "$suite" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$stamp" > "$suite/.installed"
fi

# 2. Each version against a fresh Tessera (SQLite instance, one vendor whose xAPI Basic
# credentials the suite uses). A request naming no xAPI version is answered in the version
# under test (TESSERA_XAPI_DEFAULT_VERSION: each suite expects its own version there). A run
# that outlives its limit is interrupted (SIGINT) and still writes its log.
export TESSERA_PORT="$port" TESSERA_HOST=127.0.0.1 TESSERA_BASE_URL="http://127.0.0.1:$port"
export TESSERA_LOG_LEVEL=WARNING
# The suite tests the LRS, not the per-credential rate limit (it sends bursts with one key).
export TESSERA_RATE_LIMIT_PER_SECOND=0
unset DATABASE_URL TESSERA_DATABASE_URL TESSERA_CONFIG
server=
stop_server() {
    if [ -n "$server" ]; then
        kill "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
        server=
    fi
}
trap stop_server EXIT

for version in "${versions[@]}"; do
    instance="$work/instance-$version"
    rm -rf "$instance"
    export TESSERA_INSTANCE_PATH="$instance" TESSERA_XAPI_DEFAULT_VERSION="$version"
    "$tessera" init --json > /dev/null
    "$tessera" vendor add adl-conformance --json > "$work/vendor.json"
    read -r key secret < <("$python" -c \
        'import json,sys; x=json.load(sys.stdin)["xapi"]; print(x["key"], x["secret"])' \
        < "$work/vendor.json")
    "$tessera" run --no-init --workers 2 --threads 4 > "$work/server-$version.log" 2>&1 &
    server=$!
    "$python" - "http://127.0.0.1:$port/healthz" <<'PY'
import sys, time, urllib.request
for _ in range(150):
    try:
        urllib.request.urlopen(sys.argv[1], timeout=2)
        break
    except OSError:
        time.sleep(0.2)
else:
    sys.exit("run_adl_suite: Tessera did not come up; see the server log")
PY

    before=$(ls "$suite/logs" 2>/dev/null | sort || true)
    grep_args=()
    [ -z "${CONFORMANCE_GREP:-}" ] || grep_args=(-g "$CONFORMANCE_GREP")
    (cd "$suite" && timeout -s INT "$limit" node bin/console_runner.js -x "$version" \
        -e "http://127.0.0.1:$port/xapi" -a -u "$key" -p "$secret" -z "${grep_args[@]}" \
        > "$work/run-$version.out" 2>&1) || true
    stop_server
    log=$(comm -13 <(echo "$before") <(ls "$suite/logs" 2>/dev/null | sort) | tail -1)
    if [ -z "$log" ]; then
        echo "run_adl_suite: the suite wrote no log for $version; see $work/run-$version.out" >&2
        exit 1
    fi
    "$python" "$here/summarize_adl_log.py" "$suite/logs/$log" | tee "$work/summary-$version.txt"
done
