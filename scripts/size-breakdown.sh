#!/usr/bin/env bash
# The largest items of the shipped wasm, by name: the module `make pkg` built, run through
# the same wasm-bindgen and wasm-opt -Oz steps but keeping function names, then `twiggy top`.
# Figures are of the optimized code before gzip; the names section itself is left out.
#
#   scripts/size-breakdown.sh [N]     (N rows, default 20)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=/dev/null
. target/toolchain.env
# shellcheck source=scripts/wasm-release-env.sh
. scripts/wasm-release-env.sh
ROWS="${1:-20}"

# The build of pkg/'s settings (not a variant scripts/size-measures.sh built since).
src="$WASM_CARGO_TARGET_DIR/$WASM_TARGET_SUBDIR/wasm32-unknown-unknown/release/anypoint_signin.wasm"
[ -f "$src" ] || { echo "size-breakdown: no release wasm under $WASM_CARGO_TARGET_DIR (run make pkg)" >&2; exit 1; }
command -v twiggy >/dev/null 2>&1 || { echo "size-breakdown: twiggy is missing (scripts/setup.sh --bench installs it)" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
wasm-bindgen --target web --keep-debug --out-dir "$tmp" --out-name named "$src"
# As in the package: without the exports only wasm-bindgen's glue uses.
"$WASM_OPT" "${WASM_FEATURES[@]}" -g --remove-exports --pass-arg=remove-exports@$REMOVED_EXPORTS \
    --remove-unused-module-elements "$tmp/named_bg.wasm" -o "$tmp/named_bg.wasm"
# The package's wasm-opt settings (scripts/wasm-release-env.sh), keeping the names (-g).
"$WASM_OPT" "${WASM_OPT_PASSES[@]}" -g "${WASM_FEATURES[@]}" "$tmp/named_bg.wasm" -o "$tmp/named.wasm"

build="$(basename "$(dirname "$(dirname "$(dirname "$src")")")")"
echo "size-breakdown: largest items of the optimized wasm ($build), before gzip"
twiggy top -n 400 --format csv "$tmp/named.wasm" | python3 -c '
import csv, re, sys
rows = int(sys.argv[1])
items = [(int(r["ShallowSize"]), r["Name"]) for r in csv.DictReader(sys.stdin)
         if "function names" not in r["Name"] and not r["Name"].startswith("...")]
def short(name):
    name = re.sub(r"\[[0-9a-f]{16}\]", "", name)
    # The machine is built for the types of the boundary: named by their last segment.
    name = name.replace("anypoint_signin::browser::json::BrowserJson", "BrowserJson")
    name = name.replace("anypoint_signin::browser::Wire", "Wire")
    return name if len(name) <= 110 else name[:107] + "..."
total = sum(s for s, _ in items)
for size, name in sorted(items, reverse=True)[:rows]:
    print(f"  {size:7d} B  {size * 100 / total:5.1f} %  {short(name)}")
groups = {}
for size, name in items:
    n = re.sub(r"\[[0-9a-f]{16}\]", "", name)
    if "drop_in_place" in n: g = "drop glue (core::ptr::drop_in_place)"
    # The exported handle runs inside the thread-local that holds the machine, so its body
    # is named after LocalKey<...Machine...>: it is the wire code of the boundary, not the flow.
    elif "std::thread::local::LocalKey" in n: g = "boundary (src/browser)"
    # The wire writes the effects the flow decides: <Wire as flow::io::Effects>::render.
    elif n.startswith("<anypoint_signin::browser::Wire as"): g = "boundary (src/browser)"
    elif "::flow::" in n: g = "flow machine (src/flow)"
    # Before the boundary: the parsers of the protocol core are built for the JSON type of
    # the boundary (parse_discovery::<...browser::json::BrowserJson>) and belong to the core.
    elif "::protocol::" in n: g = "protocol core (src/protocol)"
    elif "::browser::" in n: g = "boundary (src/browser)"
    elif n.startswith("data segment"): g = "data (strings, CSS)"
    elif re.match(r"^<?&?(core|alloc|std|lol_alloc|hashbrown)::", n): g = "Rust std (core, alloc, allocator)"
    elif re.match(r"^<?&?(js_sys|wasm_bindgen|web_sys|wasm_bindgen_futures)", n): g = "wasm-bindgen, js-sys, web-sys"
    else: g = "other (imports, exports, tables, ...)"
    groups[g] = groups.get(g, 0) + size
print("  by part:")
for g, size in sorted(groups.items(), key=lambda kv: -kv[1]):
    print(f"  {size:7d} B  {size * 100 / total:5.1f} %  {g}")
' "$ROWS"
