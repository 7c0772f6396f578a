# shellcheck shell=bash disable=SC2034 # the variables set here are read by the scripts that source this
# Sourced by scripts/build-pkg.sh and scripts/size-floor.sh (after target/toolchain.env):
# the release settings of the shipped wasm, so that every size figure is of the same build.
# Sets PANIC, rustflags, WASM_BUILD_STD_FEATURES, WASM_FEATURES and WASM_OPT_FLAGS, and
# exports CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS, WASM_BUILD_STD_ARGS and
# WASM_TARGET_SUBDIR for scripts/wasm-cargo.
#
# PANIC=abort|immediate-abort, WASM_EXTRA_RUSTFLAGS and WASM_BUILD_STD_FEATURES override.

# What Rust 1.96 emits by default for wasm32-unknown-unknown; binaryen must be told, or
# it rejects (or worse, mangles) instructions of features it assumes are off.
WASM_FEATURES=(--enable-bulk-memory --enable-mutable-globals --enable-nontrapping-float-to-int
    --enable-sign-ext --enable-reference-types --enable-multivalue)
WASM_OPT_FLAGS=(-Oz "${WASM_FEATURES[@]}" --strip-debug --strip-producers --strip-target-features)

if [ -n "$WASM_BUILD_STD_ARGS" ]; then PANIC="${PANIC:-immediate-abort}"; else PANIC="${PANIC:-abort}"; fi
# Where std is built from source, two more size flags (measured on the same snapshot:
# -0.45 KB and -0.75 KB gzip; neither changes behaviour): no file/line data for panic
# locations (immediate-abort never prints them), and std's optimize_for_size code paths.
# Override with WASM_EXTRA_RUSTFLAGS / WASM_BUILD_STD_FEATURES (empty to turn off).
if [ -n "$WASM_BUILD_STD_ARGS" ]; then
    rustflags="${WASM_EXTRA_RUSTFLAGS--Zlocation-detail=none}"
    WASM_BUILD_STD_FEATURES="${WASM_BUILD_STD_FEATURES-optimize_for_size}"
else
    rustflags="${WASM_EXTRA_RUSTFLAGS:-}"
    WASM_BUILD_STD_FEATURES=""
fi
case "$PANIC" in
    abort) ;;
    immediate-abort)
        [ -n "$WASM_BUILD_STD_ARGS" ] || { echo "PANIC=immediate-abort needs std built from source (the Debian route)" >&2; exit 1; }
        rustflags="-Zunstable-options -Cpanic=immediate-abort $rustflags" ;;
    *) echo "PANIC must be abort or immediate-abort" >&2; exit 2 ;;
esac
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$rustflags"
if [ -n "$WASM_BUILD_STD_FEATURES" ]; then
    WASM_BUILD_STD_ARGS="$WASM_BUILD_STD_ARGS -Z build-std-features=$WASM_BUILD_STD_FEATURES"
fi
# Each panic strategy in its own target dir: switching would rebuild std and every crate.
export WASM_TARGET_SUBDIR="pkg-$PANIC"
export WASM_BUILD_STD_ARGS

