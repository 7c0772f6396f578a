#!/usr/bin/env bash
# Prints figures; asserts no timing. The one gate is size: the shipped total (wasm + JS,
# gzip -9) must stay within BUDGET_KB, 30 KB, the goal the package reached, and each language module under 1 KB.
# Beside the package it prints the size of the
# protocol core alone (scripts/size-floor.sh), the least any element built on it can weigh. Only measures a pkg/ that passed the smoke
# test (scripts/build-pkg.sh leaves a stamp): a broken build is small.
#
#   scripts/bench.sh [--size-only] [--no-gate] [PKG_DIR]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PKG="pkg"
SIZE_ONLY=0
GATE=1
for arg in "$@"; do
    case "$arg" in
        --size-only) SIZE_ONLY=1 ;;
        --no-gate) GATE=0 ;;
        *) PKG="$arg" ;;
    esac
done
BUDGET_KB="${BUDGET_KB:-30.0}"
GOAL_KB=30

stamp="$ROOT/target/pkg.smoke-passed"
if [ "$PKG" = pkg ]; then
    [ -f "$stamp" ] && (cd pkg && sha256sum --quiet -c "$stamp" >/dev/null 2>&1) || {
        echo "bench: pkg/ was not built and smoke-tested by scripts/build-pkg.sh (run make pkg)" >&2
        exit 1
    }
fi

size_rc=0
python3 - "$PKG" "$BUDGET_KB" "$GOAL_KB" <<'EOF' || size_rc=$?
import glob, gzip, os, sys

pkg, budget_kb, goal_kb = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
KB = 1024

def sizes(path):
    data = open(path, "rb").read()
    return len(data), len(gzip.compress(data, compresslevel=9, mtime=0))

def group(paths):
    raw = gz = 0
    for p in paths:
        r, g = sizes(p)
        raw += r
        gz += g
    return raw, gz

wasm = [os.path.join(pkg, "anypoint_signin_bg.wasm")]
# The glue and the runner are modules of their own only with GLUE=wasm-bindgen (the entry
# carries js/glue.js and js/element.js).
glue = glob.glob(os.path.join(pkg, "anypoint_signin.js"))
entry = [os.path.join(pkg, "anypoint-signin.js")]
snippets = sorted(glob.glob(os.path.join(pkg, "snippets", "**", "*.js"), recursive=True))
rows = [
    ("wasm (anypoint_signin_bg.wasm)", group(wasm)),
    *([("JS glue (anypoint_signin.js)", group(glue))] if glue else []),
    ("JS entry (anypoint-signin.js)" if glue or snippets else "JS entry, glue and runner", group(entry)),
    *([(f"JS snippets ({len(snippets)} file{'s' if len(snippets) != 1 else ''})", group(snippets))] if snippets else []),
]
js = group(glue + entry + snippets)
total = group(wasm + glue + entry + snippets)

def fmt(n):
    return f"{n / KB:7.1f} KB {n:>8} B"

print(f"bench: shipped size of {pkg}/ (1 KB = 1024 B; gzip -9, each file on its own, as served)")
print(f"  {'':34} {'raw':>19}   {'gzip -9':>19}")
for name, (r, g) in rows:
    print(f"  {name:34} {fmt(r)}   {fmt(g)}")
print(f"  {'JS total':34} {fmt(js[0])}   {fmt(js[1])}")
print(f"  {'shipped total (wasm + JS)':34} {fmt(total[0])}   {fmt(total[1])}")
print()
print("  peers, gzip:  oauth4webapi 14.7 KB   oidc-client-ts 18.1 KB   (libraries only: no UI element)")
kb = total[1] / KB
verdict = "within" if kb <= budget_kb else "OVER"
print(f"  budget:       {budget_kb:g} KB gzip -> {kb:.1f} KB is {verdict} budget ({budget_kb - kb:+.1f} KB)")
if kb <= goal_kb:
    print(f"  goal:         {goal_kb:.0f} KB gzip -> reached, {goal_kb * KB - total[1]:.0f} B under it")
else:
    print(f"  goal:         {goal_kb:.0f} KB gzip -> {kb - goal_kb:.1f} KB to go")
# The other languages are not in the total: an English page never loads them, and a page
# in one of them loads that one alone. Each must stay under 1 KB gzip.
LANG_BUDGET = 1024
languages = sorted(glob.glob(os.path.join(pkg, "lang", "*.js")))
print()
print(f"  language modules (lang/*.js, fetched only by an element that speaks one; each under {LANG_BUDGET / KB:.0f} KB gzip):")
over = []
for path in languages:
    r, g = sizes(path)
    name = os.path.basename(path)
    print(f"  {name:34} {fmt(r)}   {fmt(g)}")
    if g > LANG_BUDGET:
        over.append(name)
if not languages:
    print("  none: the package has no lang/")
    over.append("lang/")
if over:
    print(f"  OVER the {LANG_BUDGET} B budget: {', '.join(over)}")
if kb > budget_kb or over:
    sys.exit(1)
EOF

# The floor under the package: the protocol core alone, built the same way.
echo
bash scripts/size-floor.sh

if [ "$SIZE_ONLY" = 0 ]; then
    echo
    bash scripts/size-breakdown.sh 20 || echo "bench: no size breakdown (see above)"
    echo
    bash scripts/size-measures.sh || echo "bench: a size measure could not be built (see above)"
fi

if [ "$SIZE_ONLY" = 0 ] && [ -f scripts/bench-mock-server.sh ]; then
    echo
    echo "bench: scripts/bench-mock-server.sh"
    bash scripts/bench-mock-server.sh
fi

[ "$SIZE_ONLY" = 1 ] || { echo; bash scripts/bench-timing.sh --pkg "$PKG"; }
[ "$GATE" = 1 ] || exit 0
exit "$size_rc"
