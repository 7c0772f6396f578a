#!/usr/bin/env bash
# The playground: the mock authorization server on 127.0.0.1:8081 and www/ on
# 127.0.0.1:8080 with the built package at /pkg/, until Ctrl-C. Run through `make
# playground`, which builds and smoke-tests pkg/ first.
#
# PLAYGROUND_PORT / PLAYGROUND_MOCK_PORT move the two servers (default 8080 / 8081).
# PLAYGROUND_CSP overrides the Content-Security-Policy the page is served with (empty:
# none). The default is what a real deployment needs: 'wasm-unsafe-eval' for the module,
# connect-src for the authorization server.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=/dev/null
. target/toolchain.env

WEB_PORT="${PLAYGROUND_PORT:-8080}"
MOCK_PORT="${PLAYGROUND_MOCK_PORT:-8081}"
MOCK="http://127.0.0.1:$MOCK_PORT"
# The playground page prefills this token for its Connected Apps panel; loopback only.
ADMIN_TOKEN="anypoint-playground-admin"
# Same policy as the end-to-end tests (tests/e2e/mod.rs, playground_csp).
CSP="${PLAYGROUND_CSP-default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self' $MOCK http://localhost:$MOCK_PORT https://*.mulesoft.com; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'}"

[ -d www ] || { echo "playground: www/ is missing" >&2; exit 1; }
[ -f pkg/anypoint-signin.js ] || { echo "playground: pkg/ is not built (make pkg)" >&2; exit 1; }

echo "playground: cargo build -p anypoint-mock-server --release"
cargo build -p anypoint-mock-server --release

pids=()
stop() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

logs="$ROOT/target/playground"
mkdir -p "$logs"
wait_for_line() { # FILE PATTERN PID WHAT
    for _ in $(seq 1 300); do
        grep -q "$2" "$1" && return 0
        kill -0 "$3" 2>/dev/null || break
        sleep 0.1
    done
    echo "playground: $4 did not start (is the port in use?):" >&2
    tail -n 20 "$1" "${1%.out}.err" >&2 2>/dev/null || true
    exit 1
}

target/release/anypoint-mock-server --host 127.0.0.1 --port "$MOCK_PORT" --admin-token "$ADMIN_TOKEN" \
    --admin-origin "http://127.0.0.1:$WEB_PORT" --admin-origin "http://localhost:$WEB_PORT" \
    >"$logs/mock.out" 2>"$logs/mock.err" &
pids+=($!)
wait_for_line "$logs/mock.out" "^listening on " "${pids[-1]}" "the mock server on port $MOCK_PORT"

python3 scripts/serve.py --port "$WEB_PORT" --mount "/=$ROOT/www" --mount "/pkg/=$ROOT/pkg" \
    --csp "$CSP" >"$logs/web.out" 2>"$logs/web.err" &
pids+=($!)
wait_for_line "$logs/web.out" "^serving on " "${pids[-1]}" "the web server on port $WEB_PORT"

cat <<EOF

  Playground:   http://127.0.0.1:$WEB_PORT/
  Mock server:  $MOCK  (user max / mulesoft1, admin token $ADMIN_TOKEN)
  Logs:         $logs/
  CSP:          ${CSP:-(none)}

  Ctrl-C stops both servers.
EOF
wait -n "${pids[@]}" || true
echo "playground: a server stopped; see $logs/" >&2
exit 1
