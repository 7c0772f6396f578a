#!/usr/bin/env bash
# Benchmarks anypoint-mock-server on loopback only:
#   1. client_credentials token requests (wrk, mock-server/bench/client_credentials.lua)
#      until BENCH_TOKENS tokens were issued or BENCH_MAX_SECONDS passed: tokens per
#      second, latency p50 / p99 / max, and the server's peak resident memory, which should
#      not grow with the number of tokens issued;
#   2. full authorization_code + PKCE sign-in cycles (mock-server/examples/auth_code_cycle.rs):
#      cycles per second and latency percentiles.
# Builds in release first (not timed). With two cores or more, the server runs on one core
# and wrk on another. Prints figures and gates nothing; the server is stopped on exit,
# whatever happens. wrk runs in rounds (BENCH_ROUND_SECONDS, default 10) so that each
# round's latency and the server's memory show whether they drift as tokens pile up.
# Knobs: BENCH_TOKENS (default 1000000), BENCH_MAX_SECONDS (default 60), BENCH_CONNECTIONS
# (default 16), BENCH_CYCLES (default 3000), BENCH_CONCURRENCY (default 8).
set -euo pipefail
cd "$(dirname "$0")/.."

command -v wrk >/dev/null || { echo "bench-mock-server: wrk is needed (apt-get install wrk)" >&2; exit 1; }

# A target dir of its own, so that the bench neither waits on nor invalidates other builds.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target/mock-bench}"
# The workspace release profile is tuned for the size of the wasm widget (opt-level "z",
# fat LTO); a server is measured at speed, and a fast build keeps the script usable.
export CARGO_PROFILE_RELEASE_OPT_LEVEL=3 CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16

tokens="${BENCH_TOKENS:-1000000}"
max_seconds="${BENCH_MAX_SECONDS:-60}"
connections="${BENCH_CONNECTIONS:-16}"
round="${BENCH_ROUND_SECONDS:-10}"
cycles="${BENCH_CYCLES:-3000}"
concurrency="${BENCH_CONCURRENCY:-8}"

echo "== building (release)"
cargo build --quiet --release -p anypoint-mock-server --bin anypoint-mock-server --example auth_code_cycle

# One core each for the server and the load generator, when there are two.
server_cpu=() client_cpu=()
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
  server_cpu=(taskset -c 0) client_cpu=(taskset -c 1)
fi

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
RUST_LOG=warn "${server_cpu[@]}" "$CARGO_TARGET_DIR/release/anypoint-mock-server" \
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
echo "== server at $url ($(nproc) cores${server_cpu:+; server on core 0, wrk on core 1})"

# Resident memory of the server in MiB: now (VmRSS) and at its peak (VmHWM).
rss() {
  awk -v field="$1:" '$1 == field { printf "%.1f", $2 / 1024 }' "/proc/$server/status"
}
issued() {
  command -v curl >/dev/null || return 0
  curl -s -H "Authorization: Bearer bench-admin" "$url/__mock/stats" 2>/dev/null \
    | sed -n 's/.*"access_tokens_issued":\([0-9]*\).*/\1/p'
}

echo
echo "== client_credentials token requests: wrk -t1 -c$connections in ${round}s rounds, until $tokens tokens or ${max_seconds}s"
echo "server RSS before: $(rss VmRSS) MiB"
started=$(date +%s.%N)
deadline=$((SECONDS + max_seconds))
answered=0
while [ "$answered" -lt "$tokens" ] && [ "$SECONDS" -lt "$deadline" ]; do
  timeout $((round + 20)) "${client_cpu[@]}" wrk -t1 -c"$connections" -d"${round}s" \
    -s mock-server/bench/client_credentials.lua "$url/accounts/api/v2/oauth2/token" \
    | grep '^round ' >"$work/round"
  line="$(cat "$work/round")"
  echo "$line  rss_mib=$(rss VmRSS)"
  echo "$line" >>"$work/rounds"
  answered=$((answered + $(sed -n 's/.*answers=\([0-9]*\).*/\1/p' "$work/round")))
done
elapsed="$(awk -v from="$started" -v to="$(date +%s.%N)" 'BEGIN { printf "%.2f", to - from }')"
count="$(issued)"
peak="$(rss VmHWM)"
echo "tokens issued (server's count): ${count:-unknown}; answers: $answered in ${elapsed}s"
echo "server RSS after: $(rss VmRSS) MiB, peak: $peak MiB"

echo
echo "== authorization_code + PKCE cycles (authorize with --auto-approve, then token): $cycles cycles, $concurrency concurrent"
# A bench prints figures and gates nothing: cycles that outlast the minute (a machine busy
# with other work) are reported as such, not as a failed bench.
cycles_rc=0
timeout 60 "${client_cpu[@]}" "$CARGO_TARGET_DIR/release/examples/auth_code_cycle" "$url" "$cycles" "$concurrency" || cycles_rc=$?
if [ "$cycles_rc" = 124 ]; then
    echo "the $cycles cycles took over 60 s: no figure this time (is the machine busy? BENCH_CYCLES sets fewer)"
elif [ "$cycles_rc" != 0 ]; then
    echo "the cycles failed (exit $cycles_rc)" >&2
    exit "$cycles_rc"
fi
echo "server RSS after: $(rss VmRSS) MiB, peak: $(rss VmHWM) MiB"

echo
echo "== summary (client_credentials, $connections connections; latency of the worst round)"
awk -v issued="${count:-$answered}" -v peak="$peak" -v elapsed="$elapsed" '
  function field(name,   i, kv) {
    for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == name) return kv[2] }
  }
  {
    answers += field("answers"); errors += field("errors") + field("socket_errors")
    if (field("p50_ms") > p50) p50 = field("p50_ms")
    if (field("p99_ms") > p99) p99 = field("p99_ms")
    if (field("max_ms") > max) max = field("max_ms")
  }
  END {
    printf "tokens/s %.0f   p50 %.2f ms   p99 %.2f ms   max %.2f ms   tokens issued %s   errors %d   server peak RSS %s MiB\n",
      (answers - errors) / elapsed, p50, p99, max, issued, errors, peak
  }
' "$work/rounds"
