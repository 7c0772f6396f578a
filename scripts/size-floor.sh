#!/usr/bin/env bash
# The protocol core alone (bench/protocol-size: src/protocol behind a few wasm-bindgen
# functions, no element), built, optimized and minified exactly like the package
# (scripts/wasm-release-env.sh, wasm-opt -Oz, terser), and its size
# printed the way scripts/bench.sh prints the package's. No element built on this protocol
# core can be smaller than this.
#
#   scripts/size-floor.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=/dev/null
. target/toolchain.env
# shellcheck source=scripts/wasm-release-env.sh
. "$ROOT/scripts/wasm-release-env.sh"

out="$ROOT/target/protocol-size"
rm -rf "$out"
mkdir -p "$out"
# shellcheck disable=SC2086 # WASM_BUILD_STD_ARGS holds several words on purpose
"$ROOT/scripts/wasm-cargo" build --release --target wasm32-unknown-unknown -p protocol-size \
    $WASM_BUILD_STD_ARGS 2>"$out/cargo.log" || { cat "$out/cargo.log" >&2; exit 1; }
wasm-bindgen --target web --out-dir "$out" --out-name anypoint_signin \
    "$WASM_CARGO_TARGET_DIR/$WASM_TARGET_SUBDIR/wasm32-unknown-unknown/release/protocol_size.wasm"
"$WASM_OPT" "${WASM_OPT_FLAGS[@]}" "$out/anypoint_signin_bg.wasm" -o "$out/anypoint_signin_bg.wasm"
"$TERSER" "$out/anypoint_signin.js" --module --ecma 2020 --compress --mangle -o "$out/anypoint_signin.js"

python3 - "$out" <<'PY'
import gzip, os, sys
out = sys.argv[1]
def sizes(name):
    data = open(os.path.join(out, name), "rb").read()
    return len(data), len(gzip.compress(data, compresslevel=9, mtime=0))
wasm, glue = sizes("anypoint_signin_bg.wasm"), sizes("anypoint_signin.js")
def fmt(n):
    return f"{n / 1024:7.1f} KB {n:>8} B"
print("size-floor: the protocol core alone, no element (bench/protocol-size), built like pkg/")
print(f"  {'wasm':34} {fmt(wasm[0])}   {fmt(wasm[1])}")
print(f"  {'JS glue':34} {fmt(glue[0])}   {fmt(glue[1])}")
print(f"  {'total':34} {fmt(wasm[0] + glue[0])}   {fmt(wasm[1] + glue[1])}")
PY
