#!/usr/bin/env bash
# Installs whatever the build needs and is missing, then writes target/toolchain.env,
# which the Makefile and scripts source. Idempotent: a second run only checks.
#
# Two ways to get a wasm32 Rust toolchain:
#   rustup:  `rustup target add wasm32-unknown-unknown` (an ordinary developer machine);
#   debian:  Debian's rustc-web/cargo-web/rust-web-src/lld-22 (1.96), building std for
#            wasm32 from source with -Z build-std. Used where rustup cannot download the
#            target (its host is unreachable on the project's build machines).
#
# Options / environment:
#   --bench                      also install what `make bench` needs (wrk)
#   ANYPOINT_WASM_ROUTE=rustup|debian   force a route instead of detecting one
#   ANYPOINT_RUSTUP_TIMEOUT=60   seconds to let `rustup target add` try before falling back
#   CHROME_BIN, CHROMEDRIVER     use this browser / driver instead of searching for one
#   FIREFOX_BIN, GECKODRIVER_BIN, WEBKIT_DRIVER, WEBKIT_BROWSER, XVFB_RUN   the same for
#                                Firefox and WebKitGTK (MiniBrowser under xvfb-run)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

WITH_BENCH=0
for arg in "$@"; do
    case "$arg" in
        --bench) WITH_BENCH=1 ;;
        *) echo "setup: unknown option $arg" >&2; exit 2 ;;
    esac
done

CARGO_BIN_DIR="${CARGO_HOME:-$HOME/.cargo}/bin"
export PATH="$ROOT/tools/node_modules/.bin:$CARGO_BIN_DIR:$PATH"

say() { echo "setup: $*"; }
die() { echo "setup: ERROR: $*" >&2; exit 1; }

# --- apt helpers -------------------------------------------------------------------------
SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
have_apt() { command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" = 0 ] || [ -n "$SUDO" ]; }; }
APT_UPDATED=0
apt_install() {
    have_apt || return 1
    if [ "$APT_UPDATED" = 0 ]; then
        say "apt-get update"
        $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null || return 1
        APT_UPDATED=1
    fi
    say "apt-get install -y $*"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >/dev/null
}

# --- wasm32 Rust toolchain -------------------------------------------------------------
rustup_has_wasm32() {
    command -v rustc >/dev/null 2>&1 || return 1
    local sysroot
    sysroot="$(rustc --print sysroot 2>/dev/null)" || return 1
    [ -d "$sysroot/lib/rustlib/wasm32-unknown-unknown" ]
}
# The wasm linker of the Debian route. Debian's rustc-web installs no /usr/bin/rust-lld
# (rustc's default wasm32 linker), so cargo is pointed at lld's wasm flavour from lld-22
# (CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER, set by scripts/wasm-cargo). A rust-lld put
# in place by hand is used only when no wasm-ld is installed.
debian_wasm_linker() {
    local c
    for c in /usr/bin/wasm-ld-22 /usr/bin/wasm-ld /usr/lib/llvm-22/bin/wasm-ld /usr/bin/rust-lld; do
        if [ -x "$c" ]; then echo "$c"; return 0; fi
    done
    return 1
}
# What the Debian route needs, one line each for what is missing (empty when complete).
debian_route_missing() {
    [ -x /usr/bin/cargo ] || echo "  /usr/bin/cargo (package cargo-web)"
    [ -x /usr/bin/rustc ] || echo "  /usr/bin/rustc (package rustc-web)"
    [ -d /usr/lib/rustlib/src/rust/library ] || echo "  /usr/lib/rustlib/src/rust/library, std's source for -Z build-std (package rust-web-src)"
    [ -x /usr/bin/clippy-driver ] || echo "  /usr/bin/clippy-driver, clippy for the wasm32 lint (package rust-web-clippy)"
    debian_wasm_linker >/dev/null || echo "  a wasm linker, /usr/bin/wasm-ld-22 (package lld-22)"
}
debian_route_present() { [ -z "$(debian_route_missing)" ]; }
install_debian_route() {
    # rust-web-clippy: the browser half of the crate only compiles for wasm32, so only a
    # clippy of the same toolchain can lint it. lld-22: the wasm linker (wasm-ld-22).
    apt_install rustc-web cargo-web rust-web-src lld-22 rust-web-clippy ||
        die "could not install Debian's rustc-web cargo-web rust-web-src lld-22 rust-web-clippy (needs apt and root or sudo)"
    debian_route_present || die "Debian's Rust packages installed, but the Debian route still lacks:
$(debian_route_missing)"
}

ROUTE="${ANYPOINT_WASM_ROUTE:-}"
# Without a forced route, keep the one this checkout already uses while it is still there:
# switching toolchains in one target dir rebuilds std and every crate.
if [ -z "$ROUTE" ] && [ -f target/toolchain.env ]; then
    case "$(sed -nE 's/^export WASM_ROUTE=(.*)$/\1/p' target/toolchain.env)" in
        rustup) if rustup_has_wasm32; then ROUTE=rustup; fi ;;
        debian) if debian_route_present; then ROUTE=debian; fi ;;
    esac
fi
case "$ROUTE" in
    rustup)
        rustup_has_wasm32 || { say "rustup target add wasm32-unknown-unknown"; rustup target add wasm32-unknown-unknown; } ;;
    debian)
        debian_route_present || install_debian_route ;;
    "")
        if rustup_has_wasm32; then
            ROUTE=rustup
        elif debian_route_present; then
            # Checked before trying rustup so that a machine already set up the Debian way
            # does not wait on rustup's unreachable download at every run.
            ROUTE=debian
        else
            t="${ANYPOINT_RUSTUP_TIMEOUT:-60}"
            if command -v rustup >/dev/null 2>&1; then
                say "trying: rustup target add wasm32-unknown-unknown (up to ${t}s)"
                if timeout "$t" rustup target add wasm32-unknown-unknown && rustup_has_wasm32; then
                    ROUTE=rustup
                fi
            fi
            if [ -z "$ROUTE" ]; then
                have_apt || die "no wasm32-unknown-unknown target: rustup could not add it and apt-get (as root or with sudo) is not available.
  Install it with 'rustup target add wasm32-unknown-unknown' and run this again."
                say "rustup has no wasm32 target; using Debian's Rust toolchain with -Z build-std"
                install_debian_route
                ROUTE=debian
            fi
        fi ;;
    *) die "ANYPOINT_WASM_ROUTE must be rustup or debian, not '$ROUTE'" ;;
esac

WASM_BIN_DIR="$ROOT/target/toolchain-bin"
mkdir -p "$WASM_BIN_DIR"
if [ "$ROUTE" = debian ]; then
    WASM_LINKER="$(debian_wasm_linker)"
    WASM_CARGO=/usr/bin/cargo
    WASM_RUSTC=/usr/bin/rustc
    WASM_BUILD_STD_ARGS="-Z build-std=std,panic_abort"
    WASM_RUSTC_BOOTSTRAP=1
    WASM_PACK_MODE_ARGS="--mode force"
    # wasm-pack runs `cargo` from PATH: these links put Debian's toolchain first for wasm
    # builds only, while native builds keep rustup's cargo.
    for b in cargo rustc rustdoc cargo-clippy clippy-driver; do ln -sfn "/usr/bin/$b" "$WASM_BIN_DIR/$b"; done
else
    WASM_CARGO="$(command -v cargo)"
    WASM_RUSTC="$(command -v rustc)"
    WASM_BUILD_STD_ARGS=""
    WASM_RUSTC_BOOTSTRAP=""
    WASM_PACK_MODE_ARGS=""
    # rustup's toolchain ships its own rust-lld, rustc's default wasm32 linker.
    WASM_LINKER=""
    for b in cargo rustc rustdoc cargo-clippy clippy-driver; do rm -f "$WASM_BIN_DIR/$b"; done
fi
say "wasm32 toolchain: $ROUTE route ($("$WASM_RUSTC" --version)${WASM_LINKER:+, linker $WASM_LINKER})"

# rustfmt and clippy for the native checks.
for comp in rustfmt clippy; do
    sub=fmt; [ "$comp" = clippy ] && sub=clippy
    if ! cargo "$sub" --version >/dev/null 2>&1; then
        say "rustup component add $comp"
        timeout 120 rustup component add "$comp" || die "cargo $sub is missing and rustup could not add $comp"
    fi
done

# --- small tools -------------------------------------------------------------------------
command -v gzip >/dev/null 2>&1 || apt_install gzip || die "gzip is missing"
command -v python3 >/dev/null 2>&1 || apt_install python3 || die "python3 is missing (serves pages for the browser tests)"
if ! command -v npm >/dev/null 2>&1; then
    apt_install nodejs npm || die "node and npm are missing (they install binaryen's wasm-opt)"
fi

# --- browser + driver --------------------------------------------------------------------
find_first() { local c; for c in "$@"; do if command -v "$c" >/dev/null 2>&1; then command -v "$c"; return 0; fi; done; return 1; }
CHROME_BIN="${CHROME_BIN:-}"
CHROMEDRIVER="${CHROMEDRIVER:-}"
if [ -z "$CHROME_BIN" ]; then CHROME_BIN="$(find_first chromium chromium-browser google-chrome-stable google-chrome || true)"; fi
if [ -z "$CHROMEDRIVER" ]; then CHROMEDRIVER="$(find_first chromedriver || true)"; fi
if [ -z "$CHROME_BIN" ] || [ -z "$CHROMEDRIVER" ]; then
    if have_apt; then
        # Debian's chromium and chromium-driver come as a matching pair: use both.
        apt_install chromium chromium-driver || die "could not install chromium and chromium-driver with apt"
        CHROME_BIN=/usr/bin/chromium
        CHROMEDRIVER=/usr/bin/chromedriver
    fi
fi
[ -n "$CHROME_BIN" ] && [ -x "$CHROME_BIN" ] || die "no Chrome/Chromium found. Install one (Debian: apt-get install chromium chromium-driver) or set CHROME_BIN."
[ -n "$CHROMEDRIVER" ] && [ -x "$CHROMEDRIVER" ] || die "no chromedriver found. Install the one matching your browser ($("$CHROME_BIN" --version 2>/dev/null)) on PATH, or set CHROMEDRIVER."
say "browser: $CHROME_BIN, driver: $CHROMEDRIVER"

# --- the other two engines: Firefox ESR + geckodriver, WebKitGTK + WebKitWebDriver -------
# make test runs the browser and end-to-end tests in each (scripts/engines.sh). Where they
# cannot be installed (no apt), their paths stay empty and scripts/engines.sh says so: a
# failure under CI=true, a loud warning elsewhere.
GECKODRIVER_VERSION=0.37.1
FIREFOX_BIN="${FIREFOX_BIN:-}"
GECKODRIVER_BIN="${GECKODRIVER_BIN:-}"
WEBKIT_DRIVER="${WEBKIT_DRIVER:-}"
WEBKIT_BROWSER="${WEBKIT_BROWSER:-}"
XVFB_RUN="${XVFB_RUN:-}"
# MiniBrowser (libwebkit2gtk-4.1-0) lives in the multiarch library directory.
find_minibrowser() { local c; for c in /usr/lib/*/webkit2gtk-4.1/MiniBrowser /usr/libexec/webkit2gtk-4.1/MiniBrowser; do if [ -x "$c" ]; then echo "$c"; return 0; fi; done; return 1; }
if [ -z "$FIREFOX_BIN" ]; then FIREFOX_BIN="$(find_first firefox-esr firefox || true)"; fi
if [ -z "$FIREFOX_BIN" ] && have_apt; then
    apt_install firefox-esr || die "could not install firefox-esr with apt (Firefox for the browser and end-to-end tests)"
    FIREFOX_BIN="$(find_first firefox-esr firefox || true)"
    [ -n "$FIREFOX_BIN" ] || die "firefox-esr is installed but no firefox-esr or firefox is on PATH"
fi
if [ -z "$GECKODRIVER_BIN" ]; then
    if [ "$(geckodriver --version 2>/dev/null | awk 'NR == 1 {print $2}')" = "$GECKODRIVER_VERSION" ]; then
        GECKODRIVER_BIN="$(command -v geckodriver)"
    elif [ -n "$FIREFOX_BIN" ]; then
        say "cargo install geckodriver --version $GECKODRIVER_VERSION (Firefox's WebDriver; a few minutes)"
        cargo install --locked --force geckodriver --version "$GECKODRIVER_VERSION" ||
            die "could not install geckodriver $GECKODRIVER_VERSION from crates.io (cargo install --locked geckodriver --version $GECKODRIVER_VERSION)"
        GECKODRIVER_BIN="$CARGO_BIN_DIR/geckodriver"
    fi
fi
if [ -z "$WEBKIT_DRIVER" ]; then WEBKIT_DRIVER="$(find_first WebKitWebDriver || true)"; fi
if [ -z "$WEBKIT_BROWSER" ]; then WEBKIT_BROWSER="$(find_minibrowser || true)"; fi
if [ -z "$XVFB_RUN" ]; then XVFB_RUN="$(find_first xvfb-run || true)"; fi
if { [ -z "$WEBKIT_DRIVER" ] || [ -z "$WEBKIT_BROWSER" ] || [ -z "$XVFB_RUN" ] || ! command -v xauth >/dev/null 2>&1; } && have_apt; then
    # MiniBrowser needs a display: xvfb-run gives it one (and needs xauth).
    apt_install webkit2gtk-driver xvfb xauth || die "could not install webkit2gtk-driver xvfb xauth with apt (WebKitGTK for the browser and end-to-end tests)"
    WEBKIT_DRIVER="$(find_first WebKitWebDriver || true)"
    WEBKIT_BROWSER="$(find_minibrowser || true)"
    XVFB_RUN="$(find_first xvfb-run || true)"
    [ -n "$WEBKIT_DRIVER" ] || die "webkit2gtk-driver is installed but WebKitWebDriver is not on PATH"
    [ -n "$WEBKIT_BROWSER" ] || die "no MiniBrowser in /usr/lib/*/webkit2gtk-4.1/ (package libwebkit2gtk-4.1-0)"
    [ -n "$XVFB_RUN" ] || die "xvfb is installed but xvfb-run is not on PATH"
fi
if [ -n "$FIREFOX_BIN" ] && [ -n "$GECKODRIVER_BIN" ]; then
    say "firefox: $FIREFOX_BIN ($("$FIREFOX_BIN" --version 2>/dev/null || echo '?')), driver: $GECKODRIVER_BIN"
else
    say "WARNING: no Firefox and geckodriver (Debian: apt-get install firefox-esr; cargo install --locked geckodriver --version $GECKODRIVER_VERSION): make test cannot run the Firefox tests"
fi
if [ -n "$WEBKIT_DRIVER" ] && [ -n "$WEBKIT_BROWSER" ] && [ -n "$XVFB_RUN" ]; then
    say "webkit: $WEBKIT_BROWSER, driver: $WEBKIT_DRIVER, display: $XVFB_RUN"
else
    say "WARNING: no WebKitGTK (Debian: apt-get install webkit2gtk-driver xvfb xauth): make test cannot run the WebKit tests"
fi

if [ "$WITH_BENCH" = 1 ] && ! command -v wrk >/dev/null 2>&1; then
    apt_install wrk || say "wrk is not installed and could not be; the mock-server load benchmark will be skipped"
fi
if [ "$WITH_BENCH" = 1 ] && ! command -v twiggy >/dev/null 2>&1; then
    say "cargo install twiggy (the size breakdown of make bench; a few minutes)"
    cargo install twiggy || say "twiggy could not be installed; make bench will print no size breakdown"
fi

# --- wasm-bindgen CLI, exactly the crate's version --------------------------------------
wasm_bindgen_version() {
    local v=""
    if [ -f Cargo.lock ]; then
        v="$(awk '/^name = "wasm-bindgen"$/ { getline; if ($1 == "version") { gsub(/"/, "", $3); print $3; exit } }' Cargo.lock)"
    fi
    if [ -z "$v" ]; then
        v="$(sed -nE 's/^wasm-bindgen[[:space:]]*=.*"=([0-9][0-9.]*)".*/\1/p' Cargo.toml | head -n1)"
    fi
    echo "$v"
}
WASM_BINDGEN_VERSION="$(wasm_bindgen_version)"
if [ -z "$WASM_BINDGEN_VERSION" ]; then
    say "no wasm-bindgen in Cargo.lock or Cargo.toml yet: skipping wasm-bindgen-cli"
else
    have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
    if [ "$have" = "$WASM_BINDGEN_VERSION" ]; then
        say "wasm-bindgen-cli $have present"
    else
        say "cargo install wasm-bindgen-cli --version $WASM_BINDGEN_VERSION (had: ${have:-none}; takes a few minutes)"
        # No --locked: its lock file pins a crate version that is not always served.
        cargo install --force wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
    fi
fi

# --- wasm-pack ---------------------------------------------------------------------------
if command -v wasm-pack >/dev/null 2>&1; then
    say "wasm-pack present ($(wasm-pack --version))"
else
    say "cargo install wasm-pack (takes a few minutes)"
    cargo install wasm-pack
fi

# --- cargo-fuzz (make fuzz, make fuzz-smoke), pinned --------------------------------------
# Runs the fuzz targets in fuzz/ on the stable toolchain (scripts/fuzz.sh). Its libfuzzer-sys
# builds libFuzzer with the system C++ compiler.
CARGO_FUZZ_VERSION=0.13.2
command -v c++ >/dev/null 2>&1 || apt_install g++ || die "no C++ compiler (c++), which libFuzzer needs"
if [ "$(cargo fuzz --version 2>/dev/null | awk '{print $2}')" = "$CARGO_FUZZ_VERSION" ]; then
    say "cargo-fuzz $CARGO_FUZZ_VERSION present"
else
    say "cargo install cargo-fuzz --version $CARGO_FUZZ_VERSION (takes a few minutes)"
    cargo install --force cargo-fuzz --version "$CARGO_FUZZ_VERSION"
fi

# --- JS build tools (binaryen's wasm-opt, terser, tsc), pinned in tools/package-lock.json --
WASM_OPT="$ROOT/tools/node_modules/.bin/wasm-opt"
TERSER="$ROOT/tools/node_modules/.bin/terser"
TSC="$ROOT/tools/node_modules/.bin/tsc"
stamp="$ROOT/tools/node_modules/.installed-from-lock"
if [ -x "$WASM_OPT" ] && [ -x "$TERSER" ] && [ -x "$TSC" ] && [ -f "$stamp" ] &&
    [ "$(cat "$stamp")" = "$(sha256sum <tools/package-lock.json)" ]; then
    say "tools/node_modules up to date ($("$WASM_OPT" --version))"
else
    say "npm ci --prefix tools (binaryen's wasm-opt, terser, typescript)"
    npm ci --prefix tools --no-audit --no-fund --loglevel=error
    sha256sum <tools/package-lock.json >"$stamp"
fi
want_binaryen="$(sed -nE 's/.*"binaryen": "([0-9]+)\..*/\1/p' tools/package.json | head -n1)"
"$WASM_OPT" --version | grep -q "version $want_binaryen" ||
    die "$WASM_OPT is not binaryen $want_binaryen: $("$WASM_OPT" --version)"

# --- the env file ------------------------------------------------------------------------
q() { printf '%q' "$1"; }
mkdir -p target
tmp="$(mktemp target/toolchain.env.XXXXXX)"
cat >"$tmp" <<EOF
# Written by scripts/setup.sh; source it. Native builds use the plain \`cargo\` on PATH;
# wasm builds go through scripts/wasm-cargo, which applies the WASM_* settings below.
export ANYPOINT_ROOT=$(q "$ROOT")
export WASM_ROUTE=$(q "$ROUTE")
export WASM_CARGO=$(q "$WASM_CARGO")
export WASM_RUSTC=$(q "$WASM_RUSTC")
export WASM_BUILD_STD_ARGS=$(q "$WASM_BUILD_STD_ARGS")
# Exported as RUSTC_BOOTSTRAP by scripts/wasm-cargo only: set globally it would also
# reach the native cargo and its build scripts.
export WASM_RUSTC_BOOTSTRAP=$(q "$WASM_RUSTC_BOOTSTRAP")
export WASM_PACK_MODE_ARGS=$(q "$WASM_PACK_MODE_ARGS")
# The wasm32 linker, exported by scripts/wasm-cargo as CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER
# (empty: rustc's default, rust-lld from the toolchain).
export WASM_LINKER=$(q "$WASM_LINKER")
# A target dir of its own: the two toolchains would otherwise rebuild everything on each switch.
export WASM_CARGO_TARGET_DIR=$(q "$ROOT/target/wasm")
export WASM_BIN_DIR=$(q "$WASM_BIN_DIR")
export WASM_BINDGEN_VERSION=$(q "$WASM_BINDGEN_VERSION")
export WASM_OPT=$(q "$WASM_OPT")
export TERSER=$(q "$TERSER")
export CHROME_BIN=$(q "$CHROME_BIN")
export CHROMEDRIVER=$(q "$CHROMEDRIVER")
# The other engines (empty when missing). Not GECKODRIVER/SAFARIDRIVER: those would make
# wasm-bindgen-test-runner pick Firefox or WebKit everywhere; scripts/engines.sh sets them
# for one engine's run.
export FIREFOX_BIN=$(q "$FIREFOX_BIN")
export GECKODRIVER_BIN=$(q "$GECKODRIVER_BIN")
export WEBKIT_DRIVER=$(q "$WEBKIT_DRIVER")
export WEBKIT_BROWSER=$(q "$WEBKIT_BROWSER")
export XVFB_RUN=$(q "$XVFB_RUN")
export PATH=$(q "$ROOT/tools/node_modules/.bin"):$(q "$CARGO_BIN_DIR"):"\$PATH"
EOF
mv "$tmp" target/toolchain.env
say "wrote target/toolchain.env"
