#!/usr/bin/env bash
# Runs a command once per browser engine:
#
#   scripts/engines.sh "chromium firefox webkit" CMD [ARGS...]
#
# For each engine it exports ANYPOINT_ENGINE (read by the end-to-end harness, tests/e2e/)
# and the variables wasm-bindgen-test-runner picks its WebDriver by:
#   chromium  CHROMEDRIVER (from target/toolchain.env)
#   firefox   GECKODRIVER, GECKODRIVER_ARGS="--binary FIREFOX_BIN" (Firefox ESR, headless)
#   webkit    SAFARIDRIVER=scripts/webkit-webdriver.py (WebKitWebDriver, which starts
#             WebKitGTK's MiniBrowser); the command runs under xvfb-run, as MiniBrowser
#             needs a display
# and runs CMD, timing it, with TMPDIR a fresh directory removed afterwards (a browser that
# wasm-bindgen-test-runner starts leaves its profile there). Every engine runs even when one fails; the exit status is that
# of the first failure. An engine that is not installed (see scripts/setup.sh) fails the
# run when CI is set, and is skipped with a loud warning otherwise.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
[ $# -gt 1 ] || { echo "usage: $0 'chromium firefox webkit' CMD [ARGS...]" >&2; exit 2; }
ENGINES="$1"
shift
# Sourced unless the caller has (make does), so that a caller's FIREFOX_BIN etc. win.
# shellcheck source=/dev/null
if [ -z "${ANYPOINT_ROOT:-}" ] && [ -f target/toolchain.env ]; then . target/toolchain.env; fi

ci() { case "${CI:-}" in "" | 0 | false | no) return 1 ;; *) return 0 ;; esac; }
loud() {
    echo "engines: ############################################################" >&2
    echo "engines: $*" >&2
    echo "engines: ############################################################" >&2
}

# What engine $1 lacks on this machine (empty when it can run).
missing() {
    case "$1" in
        chromium)
            [ -n "${CHROME_BIN:-}" ] && [ -x "$CHROME_BIN" ] || echo -n "Chromium (CHROME_BIN) "
            [ -n "${CHROMEDRIVER:-}" ] && [ -x "$CHROMEDRIVER" ] || echo -n "chromedriver (CHROMEDRIVER) " ;;
        firefox)
            [ -n "${FIREFOX_BIN:-}" ] && [ -x "$FIREFOX_BIN" ] || echo -n "Firefox (FIREFOX_BIN; Debian: firefox-esr) "
            [ -n "${GECKODRIVER_BIN:-}" ] && [ -x "$GECKODRIVER_BIN" ] || echo -n "geckodriver (GECKODRIVER_BIN; cargo install --locked geckodriver) " ;;
        webkit)
            [ -n "${WEBKIT_DRIVER:-}" ] && [ -x "$WEBKIT_DRIVER" ] || echo -n "WebKitWebDriver (WEBKIT_DRIVER; Debian: webkit2gtk-driver) "
            [ -n "${WEBKIT_BROWSER:-}" ] && [ -x "$WEBKIT_BROWSER" ] || echo -n "MiniBrowser (WEBKIT_BROWSER; Debian: libwebkit2gtk-4.1-0) "
            [ -n "${XVFB_RUN:-}" ] && [ -x "$XVFB_RUN" ] || echo -n "xvfb-run (XVFB_RUN; Debian: xvfb xauth) " ;;
        *) echo -n "an engine named '$1' (use chromium, firefox or webkit) " ;;
    esac
}

status=0
summary=()
scratch=""
trap '[ -z "$scratch" ] || rm -rf "$scratch"' EXIT
for engine in $ENGINES; do
    lacks="$(missing "$engine")"
    if [ -n "$lacks" ]; then
        if ci; then
            loud "ERROR: cannot run the tests in $engine: missing ${lacks}(run scripts/setup.sh)"
            summary+=("$engine: FAILED, NOT INSTALLED: missing ${lacks}")
            [ "$status" != 0 ] || status=1
        else
            loud "WARNING: SKIPPING $engine, not installed: missing ${lacks}(run scripts/setup.sh; under CI=true this fails)"
            summary+=("$engine: SKIPPED, NOT INSTALLED: missing ${lacks}(CI=true fails here)")
        fi
        continue
    fi
    prefix=()
    case "$engine" in
        chromium)
            env=(-u GECKODRIVER -u SAFARIDRIVER -u GECKODRIVER_ARGS) ;;
        firefox)
            env=(-u SAFARIDRIVER "GECKODRIVER=$GECKODRIVER_BIN" "GECKODRIVER_ARGS=--binary $FIREFOX_BIN") ;;
        webkit)
            # The runner's WebKit session has no capabilities: scripts/webkit-webdriver.py
            # adds MiniBrowser's (see there) in front of WebKitWebDriver.
            env=(-u GECKODRIVER "SAFARIDRIVER=$ROOT/scripts/webkit-webdriver.py")
            # A display of its own per run, big enough for the tests' 1280x1000 windows.
            prefix=("$XVFB_RUN" -a -s "-screen 0 1600x1200x24") ;;
    esac
    echo "engines: ---- $engine: $* ----"
    start=$SECONDS
    scratch="$(mktemp -d "${TMPDIR:-/tmp}/anypoint-engines.XXXXXX")"
    set +e
    env "${env[@]}" ANYPOINT_ENGINE="$engine" TMPDIR="$scratch" "${prefix[@]}" "$@"
    rc=$?
    set -e
    rm -rf "$scratch"
    scratch=""
    took=$((SECONDS - start))
    if [ "$rc" = 0 ]; then
        summary+=("$engine: passed in ${took}s")
    else
        summary+=("$engine: FAILED (exit $rc) after ${took}s")
        [ "$status" != 0 ] || status=$rc
    fi
done
echo "engines: ---- summary: $* ----"
for line in "${summary[@]}"; do echo "engines:   $line"; done
exit "$status"
