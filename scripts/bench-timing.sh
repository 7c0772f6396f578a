#!/usr/bin/env bash
# The timing figures of `make bench` (bench/timing), in headless Chromium over WebDriver:
#   1. navigation start -> clickable button, the package in pkg/ against a plain JS element
#      rendering the same button (the floor), interleaved, median of 15 runs each;
#   2. callback page load -> anypoint-signin-success against the mock server, median of 15
#      sign-ins, with the number of sequential round trips and the requests of the median run.
# Prints figures, asserts no time. Builds first (not timed); the bench starts and stops the
# mock server, scripts/serve.py and chromedriver itself, on 127.0.0.1, within 4 minutes.
#
#   scripts/bench-timing.sh [--runs N] [--pkg DIR]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=/dev/null
[ -f target/toolchain.env ] && . target/toolchain.env   # CHROME_BIN, CHROMEDRIVER

# The mock server's target dir and speed profile (scripts/bench-mock-server.sh): the
# workspace's release profile is tuned for the wasm's size, and the mock is part of what
# the callback figure measures, so it runs at speed; the two benches share the build.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target/mock-bench}"
export CARGO_PROFILE_RELEASE_OPT_LEVEL=3 CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16

cargo build --quiet --release -p timing-bench
exec "$CARGO_TARGET_DIR/release/timing-bench" "$@"
