#!/usr/bin/env bash
# Runs a command with the mock authorization server up on a free loopback port:
#
#   scripts/with-mock-server.sh CMD [ARGS...]
#
# Builds and starts anypoint-mock-server (--port 0 --auto-approve --admin-token ...),
# waits for its `listening on http://127.0.0.1:PORT` line, exports
#   ANYPOINT_MOCK_URL=http://127.0.0.1:PORT
#   ANYPOINT_MOCK_ADMIN_TOKEN=<the fixed test token>
# runs CMD, and stops the server however CMD ends. The wasm browser tests read both
# variables at compile time (option_env!), so their `cargo test` must run in here.
#
# The tests call the mock's admin API from the wasm-bindgen-test-runner's page, which
# CORS only allows from an --admin-origin. So the runner gets a fixed address here
# (WASM_BINDGEN_TEST_ADDRESS, a free port unless already set) and the mock that origin.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
[ $# -gt 0 ] || { echo "usage: $0 CMD [ARGS...]" >&2; exit 2; }
# shellcheck source=/dev/null
[ -f target/toolchain.env ] && . target/toolchain.env

# Not a secret: the server only listens on loopback for the length of a test run.
TOKEN="${ANYPOINT_MOCK_ADMIN_TOKEN:-anypoint-mock-test-admin-token}"
START_TIMEOUT="${MOCK_START_TIMEOUT:-30}"
LOG_DIR="$ROOT/target/mock-server"
mkdir -p "$LOG_DIR"
OUT_LOG="$LOG_DIR/stdout.log"
ERR_LOG="$LOG_DIR/stderr.log"

# Native build with the normal toolchain, sharing target/ with `cargo test --workspace`.
echo "with-mock-server: cargo build -p anypoint-mock-server"
cargo build -p anypoint-mock-server
BIN="$ROOT/target/debug/anypoint-mock-server"

if [ -z "${WASM_BINDGEN_TEST_ADDRESS:-}" ]; then
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    export WASM_BINDGEN_TEST_ADDRESS="127.0.0.1:$port"
fi
ARGS=(--host 127.0.0.1 --port 0 --auto-approve --admin-token "$TOKEN"
    --admin-origin "http://$WASM_BINDGEN_TEST_ADDRESS")

# Created first: the loop below may read them before the server's shell has opened them.
: >"$OUT_LOG"
: >"$ERR_LOG"
"$BIN" "${ARGS[@]}" >"$OUT_LOG" 2>"$ERR_LOG" &
pid=$!
stop() {
    if kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

url=""
deadline=$((SECONDS + START_TIMEOUT))
while [ $SECONDS -lt $deadline ]; do
    url="$(sed -nE 's#^listening on (http://127\.0\.0\.1:[0-9]+)/?$#\1#p' "$OUT_LOG" | head -n1 || true)"
    [ -n "$url" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$url" ]; then
    if kill -0 "$pid" 2>/dev/null; then
        why="it printed no \`listening on http://127.0.0.1:PORT\` line within ${START_TIMEOUT}s"
    else
        wait "$pid" 2>/dev/null && rc=0 || rc=$?
        why="it exited with status $rc before printing \`listening on http://127.0.0.1:PORT\`"
    fi
    {
        echo "with-mock-server: ERROR: the mock server did not start: $why"
        echo "with-mock-server: command: $BIN ${ARGS[*]}"
        echo "---- stdout ($OUT_LOG) ----"; tail -n 20 "$OUT_LOG"
        echo "---- stderr ($ERR_LOG) ----"; tail -n 40 "$ERR_LOG"
    } >&2
    exit 1
fi

export ANYPOINT_MOCK_URL="$url"
export ANYPOINT_MOCK_ADMIN_TOKEN="$TOKEN"
echo "with-mock-server: mock server at $ANYPOINT_MOCK_URL (pid $pid, logs in $LOG_DIR), admin origin http://$WASM_BINDGEN_TEST_ADDRESS"
set +e
"$@"
rc=$?
set -e
if ! kill -0 "$pid" 2>/dev/null; then
    echo "with-mock-server: WARNING: the mock server exited during the run (see $ERR_LOG)" >&2
fi
exit "$rc"
