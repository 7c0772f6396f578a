# shellcheck shell=bash disable=SC2034 # the variables set here are read by the scripts that source this
# Sourced by scripts/build-pkg.sh and scripts/size-floor.sh (after target/toolchain.env):
# the release settings of the shipped wasm, so that every size figure is of the same build.
# Sets PANIC, rustflags, WASM_FEATURES, WASM_OPT_PASSES, WASM_OPT_FLAGS and REMOVED_EXPORTS,
# and exports CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS, WASM_BUILD_STD_ARGS and
# WASM_TARGET_SUBDIR for scripts/wasm-cargo.
#
# PANIC=abort|immediate-abort and WASM_EXTRA_RUSTFLAGS override. Each measure's saving is
# printed by scripts/size-measures.sh (make bench); one that saves under 0.5 KB gzip goes.

# What Rust 1.96 emits by default for wasm32-unknown-unknown; binaryen must be told, or
# it rejects (or worse, mangles) instructions of features it assumes are off.
WASM_FEATURES=(--enable-bulk-memory --enable-mutable-globals --enable-nontrapping-float-to-int
    --enable-sign-ext --enable-reference-types --enable-multivalue)
# -ocimfs=120: binaryen inlines a function into its one caller only when the function is
# small (120 is binaryen's measure of its code). Inlining them all made one 25 KB function
# and a module 1.2 KB gzip larger; inlining none, 0.15 KB larger than this; 130 and more
# 0.05 KB larger, 80 0.02 KB. Any function of size 3 or less is inlined everywhere
# (binaryen's default is 2; 0.02 KB).
WASM_OPT_ONE_CALLER=120
# Before each -Oz, the control flow is flattened and rebuilt by the relooper (--flatten
# --rereloop), which finds smaller shapes for the branchy parsers than LLVM's; twice, as the
# second round still finds some. --low-memory-unused lets binaryen fold constant offsets
# into loads and stores: Rust puts the stack first, from its size (set below) down, and its
# data above it, so the lowest KB is reached only by a stack about to overflow (with
# immediate-abort, scripts/stack-check.py proves it never is). --converge runs the last
# round again until the module stops shrinking: it comes out the same size, laid out so
# that it compresses better (48 B gzip when it was added).
# First, binaryen's --monomorphize makes a copy of a function for a caller that passes it
# constants, where the copy comes out smaller than the call, and --dae-optimizing drops
# the arguments every caller passes alike (0.04 KB together).
WASM_OPT_PASSES=(--always-inline-max-function-size=3 --low-memory-unused --monomorphize --dae-optimizing --flatten --rereloop
    -Oz --one-caller-inline-max-function-size=$WASM_OPT_ONE_CALLER --flatten --rereloop -Oz
    --converge)
WASM_OPT_FLAGS=("${WASM_OPT_PASSES[@]}" "${WASM_FEATURES[@]}"
    --strip-debug --strip-producers --strip-target-features)

# The exports only wasm-bindgen's glue uses, which the package's own glue (js/glue.js) does
# not: scripts/build-pkg.sh removes them, with the code only they reach.
REMOVED_EXPORTS=__abort_handler,__instance_terminated,__wbindgen_externrefs,__wbindgen_start

if [ -n "$WASM_BUILD_STD_ARGS" ]; then PANIC="${PANIC:-immediate-abort}"; else PANIC="${PANIC:-abort}"; fi
# With immediate-abort, a 5 KB stack rather than the linker's 1 MB: the machine does not
# recurse (its JSON reader keeps no stack of its own and refuses nesting past
# json::MAX_DEPTH), so its depth has a bound, which scripts/stack-check.py computes from the
# shipped module and holds to this size at each build (STACK_CHECKED). With the stack this
# small, the strings above it lie below 16 KB, where the code writes each of their addresses
# in 2 bytes instead of 3 (0.07 KB gzip against a 512 KB stack, 0.1 KB against 1 MB). With
# abort, the panic machinery's formatting calls itself through its trait objects, so there
# is no bound to check: that build keeps 512 KB.
STACK_CHECKED=0
stack=524288
if [ "$PANIC" = immediate-abort ]; then STACK_CHECKED=1 stack=5120; fi
rustflags="-Clink-arg=-zstack-size=$stack ${WASM_EXTRA_RUSTFLAGS:-}"
case "$PANIC" in
    abort) ;;
    immediate-abort)
        [ -n "$WASM_BUILD_STD_ARGS" ] || { echo "PANIC=immediate-abort needs std built from source (the Debian route)" >&2; exit 1; }
        rustflags="-Zunstable-options -Cpanic=immediate-abort $rustflags" ;;
    *) echo "PANIC must be abort or immediate-abort" >&2; exit 2 ;;
esac
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$rustflags"
# Each panic strategy in its own target dir: switching would rebuild std and every crate.
# A variant of the settings (scripts/size-measures.sh) gets a dir of its own too.
export WASM_TARGET_SUBDIR="pkg-$PANIC${WASM_VARIANT:+-$WASM_VARIANT}"
export WASM_BUILD_STD_ARGS

