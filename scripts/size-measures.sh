#!/usr/bin/env bash
# What each size measure of the build saves: the package built again with that one measure
# turned off (scripts/build-pkg.sh into target/size-measures/NAME, smoke-tested like pkg/),
# its shipped size (wasm + JS, gzip -9) printed against pkg/'s. A measure that saves under
# 0.5 KB gzip is not worth its script; this is how to tell. Then the same package built from
# rustup's prebuilt std (the route of an ordinary developer machine), where this machine has
# rustup's wasm32 target.
#
#   scripts/size-measures.sh [MEASURE...]     (default: all; names below)
#
# Measures that change the Rust flags build in target dirs of their own (WASM_VARIANT), so
# pkg/'s build is not thrown away; the first run rebuilds std for each (a few minutes).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=/dev/null
. target/toolchain.env

# name | what the measure is | the environment that turns it off | debian route only
MEASURES=(
    "terser|JavaScript minified with terser|MINIFY=0|"
    "wasm-opt|wasm-opt -Oz, the niche, the function order|OPTIMIZE=0|"
    "allocator|lol_alloc instead of std's dlmalloc|PKG_FEATURES=std-allocator|"
    "glue|the entry carries js/glue.js and the runner|GLUE=wasm-bindgen|"
    "code-streams|the module's code shipped in five streams|SPLIT_CODE=0|"
    "immediate-abort|panic=immediate-abort instead of abort|PANIC=abort|debian"
)
SAVES_AT_LEAST_KB=0.5

gzip_total() {
    python3 - "$1" <<'EOF'
import glob, gzip, os, sys
pkg = sys.argv[1]
# The glue is a module of its own only with GLUE=wasm-bindgen (the entry carries js/glue.js).
files = [os.path.join(pkg, "anypoint_signin_bg.wasm"), os.path.join(pkg, "anypoint-signin.js")]
files += glob.glob(os.path.join(pkg, "anypoint_signin.js"))
files += glob.glob(os.path.join(pkg, "snippets", "**", "*.js"), recursive=True)
print(sum(len(gzip.compress(open(f, "rb").read(), compresslevel=9, mtime=0)) for f in files))
EOF
}

[ -f pkg/anypoint_signin_bg.wasm ] || { echo "size-measures: no pkg/ (run make pkg)" >&2; exit 1; }
base="$(gzip_total pkg)"
out="$ROOT/target/size-measures"
mkdir -p "$out"
wanted=" ${*:-all} "

echo "size-measures: what each measure saves, gzip -9 of wasm + JS (pkg/: $(python3 -c "print(f'{$base / 1024:.1f}')") KB, $WASM_ROUTE route)"
printf '  %-18s %-46s %10s %9s\n' measure "what it is" without saves
failed=0
for row in "${MEASURES[@]}"; do
    IFS='|' read -r name what env route <<<"$row"
    case "$wanted" in *" all "* | *" $name "*) ;; *) continue ;; esac
    if [ -n "$route" ] && [ "$route" != "$WASM_ROUTE" ]; then
        printf '  %-18s %-46s %s\n' "$name" "$what" "(only on the $route route)"
        continue
    fi
    log="$out/$name.log"
    # shellcheck disable=SC2086 # $env is a list of assignments
    if env $env STAGE="$out/$name.staging" OUT="$out/$name" scripts/build-pkg.sh >"$log" 2>&1; then
        size="$(gzip_total "$out/$name")"
        python3 - "$name" "$what" "$size" "$base" "$SAVES_AT_LEAST_KB" <<'EOF'
import sys
name, what, size, base, least = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
saves = (size - base) / 1024
verdict = "" if saves >= least else f"  under {least} KB: not worth its script"
print(f"  {name:18} {what:46} {size / 1024:7.1f} KB {saves:+6.1f} KB{verdict}")
EOF
    else
        printf '  %-18s %-46s %s\n' "$name" "$what" "build failed: see $log"
        failed=1
    fi
done

# The rustup route: rustup's prebuilt std (panic=abort, no -Z flags), where it has wasm32.
case "$wanted" in
    *" all "* | *" rustup "*)
        sysroot="$(rustup run stable rustc --print sysroot 2>/dev/null || true)"
        if [ "$WASM_ROUTE" = rustup ]; then
            echo "  rustup route: pkg/ itself"
        elif [ -z "$sysroot" ] || [ ! -d "$sysroot/lib/rustlib/wasm32-unknown-unknown" ]; then
            echo "  rustup route: not measured (rustup has no wasm32 target here: rustup target add wasm32-unknown-unknown)"
        else
            envfile="$out/toolchain-rustup.env"
            mkdir -p "$out/rustup-bin"
            {
                cat target/toolchain.env
                echo "export WASM_ROUTE=rustup WASM_CARGO=$(printf %q "$(rustup which --toolchain stable cargo)")"
                echo "export WASM_RUSTC=$(printf %q "$(rustup which --toolchain stable rustc)")"
                echo "export WASM_BUILD_STD_ARGS='' WASM_RUSTC_BOOTSTRAP='' WASM_PACK_MODE_ARGS='' WASM_LINKER=''"
                echo "export WASM_BIN_DIR=$(printf %q "$out/rustup-bin")"
                echo "export PATH=$(printf %q "$(dirname "$(rustup which --toolchain stable cargo)")"):\"\$PATH\""
            } >"$envfile"
            if ANYPOINT_TOOLCHAIN_ENV="$envfile" STAGE="$out/rustup.staging" OUT="$out/rustup" \
                scripts/build-pkg.sh >"$out/rustup.log" 2>&1; then
                size="$(gzip_total "$out/rustup")"
                python3 -c "import sys; s, b = int(sys.argv[1]), int(sys.argv[2]); print(f'  rustup route (rustup\'s prebuilt std, panic=abort): {s / 1024:.1f} KB gzip, {(s - b) / 1024:+.1f} KB against pkg/')" "$size" "$base"
            else
                echo "  rustup route: build failed: see $out/rustup.log"
                failed=1
            fi
        fi
        ;;
esac
exit "$failed"
