#!/usr/bin/env bash
# Benchmarks anypoint-mock-server on loopback only:
#   1. client_credentials token requests (wrk, mock-server/bench/client_credentials.lua):
#      requests per second and p99 latency;
#   2. full authorization_code + PKCE sign-in cycles (mock-server/examples/auth_code_cycle.rs):
#      cycles per second and p99 latency.
# Builds in release first (not timed), then measures for about 20 s; the server is stopped
# on exit, whatever happens. Knobs: BENCH_DURATION (wrk, default 10s), BENCH_CONNECTIONS
# (default 32), BENCH_CYCLES (default 3000), BENCH_CONCURRENCY (default 8).
set -euo pipefail
cd "$(dirname "$0")/.."

command -v wrk >/dev/null || { echo "bench-mock-server: wrk is needed (apt-get install wrk)" >&2; exit 1; }

# A target dir of its own, so that the bench neither waits on nor invalidates other builds.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target/mock-bench}"
# The workspace release profile is tuned for the size of the wasm widget (opt-level "z",
# fat LTO); a server is measured at speed, and a fast build keeps the script usable.
export CARGO_PROFILE_RELEASE_OPT_LEVEL=3 CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16

duration="${BENCH_DURATION:-10s}"
connections="${BENCH_CONNECTIONS:-32}"
cycles="${BENCH_CYCLES:-3000}"
concurrency="${BENCH_CONCURRENCY:-8}"

echo "== building (release)"
cargo build --quiet --release -p anypoint-mock-server --bin anypoint-mock-server --example auth_code_cycle

work="$(mktemp -d)"
server=""
cleanup() {
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

# Request logging at info level would measure the terminal, not the server.
RUST_LOG=warn "$CARGO_TARGET_DIR/release/anypoint-mock-server" \
  --host 127.0.0.1 --port 0 --auto-approve --admin-token bench-admin \
  >"$work/stdout" 2>"$work/stderr" &
server=$!

url=""
for _ in $(seq 100); do
  url="$(sed -n 's/^listening on //p' "$work/stdout")"
  [ -n "$url" ] && break
  kill -0 "$server" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "bench-mock-server: the server did not start" >&2
  cat "$work/stderr" >&2
  exit 1
fi
case "$url" in
  http://127.0.0.1:*) ;;
  *) echo "bench-mock-server: refusing to load a non-loopback address: $url" >&2; exit 1 ;;
esac
echo "== server at $url ($(nproc) cores)"

echo
echo "== client_credentials token requests: wrk -t2 -c$connections -d$duration"
timeout 40 wrk -t2 -c"$connections" -d"$duration" --latency \
  -s mock-server/bench/client_credentials.lua "$url/accounts/api/v2/oauth2/token"

echo
echo "== authorization_code + PKCE cycles (authorize with --auto-approve, then token): $cycles cycles, $concurrency concurrent"
timeout 40 "$CARGO_TARGET_DIR/release/examples/auth_code_cycle" "$url" "$cycles" "$concurrency"
