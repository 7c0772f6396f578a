#!/usr/bin/env bash
# Smoke test of a built package: loads it in headless Chromium under a strict
# Content-Security-Policy the way a user page does and checks that <anypoint-signin>
# upgrades and renders its sign-in button, with no error, CSP violation or
# anypoint-signin-error event. Also imports the entry in Node (server-side rendering
# must not throw). Gates `make pkg` and every size figure: a broken build is small.
#
#   scripts/smoke-pkg.sh [PKG_DIR]      (default: pkg)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PKG="$(cd "${1:-$ROOT/pkg}" && pwd)"
# shellcheck source=/dev/null
[ -f "$ROOT/target/toolchain.env" ] && . "$ROOT/target/toolchain.env"
CHROME_BIN="${CHROME_BIN:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}"
CSP="default-src 'self'; script-src 'self' 'wasm-unsafe-eval'"

fail() {
    echo "smoke: FAIL: $*" >&2
    exit 1
}

for f in anypoint-signin.js anypoint_signin_bg.wasm package.json; do
    [ -s "$PKG/$f" ] || fail "$PKG/$f is missing: the package is incomplete"
done
[ -n "$CHROME_BIN" ] || fail "no Chromium found (run scripts/setup.sh)"

work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# 1. Server-side rendering: importing the entry where there is no DOM.
if command -v node >/dev/null 2>&1; then
    node --input-type=module -e "
        const m = await import(process.argv[1]);
        const v = await m.ready;
        if (v !== undefined) throw new Error('ready resolved with ' + v + ' outside a browser');
    " "$PKG/anypoint-signin.js" 2>"$work/node.err" ||
        { cat "$work/node.err" >&2; fail "importing anypoint-signin.js in Node threw (it must be safe to import without a DOM)"; }
    echo "smoke: ok: entry imports in Node without a DOM"
fi

# 2. The browser.
: >"$work/server.out"  # may be read before the server's shell has opened it
python3 "$ROOT/scripts/serve.py" --port 0 --mount "/=$ROOT/scripts/smoke" --mount "/pkg/=$PKG" \
    --csp "$CSP" >"$work/server.out" 2>"$work/server.log" &
server_pid=$!
url=""
for _ in $(seq 1 100); do
    url="$(sed -n 's/^serving on //p' "$work/server.out" || true)"
    [ -n "$url" ] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
done
[ -n "$url" ] || { cat "$work/server.log" >&2; fail "the static server did not start"; }

# Flags: headless as root needs --no-sandbox; the rest keep Chromium from calling home,
# which the closed network here answers with a storm of refused connections.
set +e
timeout 120 "$CHROME_BIN" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
    --disable-background-networking --disable-component-update --disable-sync \
    --disable-default-apps --disable-extensions --no-first-run --no-default-browser-check \
    --user-data-dir="$work/profile" --enable-logging=stderr --v=0 \
    --virtual-time-budget=30000 --dump-dom "$url/" >"$work/dom.html" 2>"$work/chrome.log"
chrome_rc=$?
set -e

verdict="$(python3 - "$work/dom.html" <<'EOF'
import html, re, sys
dom = open(sys.argv[1], encoding="utf-8", errors="replace").read()
m = re.search(r'<pre id="verdict"[^>]*>(.*?)</pre>', dom, re.S)
print(html.unescape(m.group(1)).strip() if m else "NO VERDICT (the page did not render)")
EOF
)"

if [ "$chrome_rc" = 0 ] && [ "${verdict%%$'\n'*}" = "SMOKE PASS" ]; then
    echo "$verdict" | sed 's/^/smoke: /'
    echo "smoke: ok: <anypoint-signin> upgrades and renders under CSP \"$CSP\""
    exit 0
fi

{
    echo "smoke: ---- verdict written by the page ----"
    echo "$verdict"
    echo "smoke: ---- requests that did not succeed ----"
    grep -v '^200 ' "$work/server.log" | grep -v '^204 GET /favicon.ico' || echo "(none)"
    echo "smoke: ---- browser console ----"
    grep -E 'CONSOLE|Uncaught|ERROR:.*(wasm|WebAssembly|script)' "$work/chrome.log" | tail -n 30 || echo "(nothing)"
} >&2
if [ "$chrome_rc" != 0 ]; then fail "Chromium exited with status $chrome_rc"; fi
if [ "${verdict:0:9}" = "PENDING" ] || [ "${verdict:0:10}" = "NO VERDICT" ]; then
    fail "the test page never finished: the package's module did not load or hung"
fi
fail "<anypoint-signin> did not load and render cleanly (see the problems above)"
