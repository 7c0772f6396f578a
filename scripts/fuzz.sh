#!/usr/bin/env bash
# Runs the protocol core's fuzz targets (fuzz/, cargo-fuzz + libFuzzer) one after another,
# each for a given time, and prints one table of executions per target.
#
# Usage: scripts/fuzz.sh [--smoke] [TARGET...]      (default: every target in fuzz/Cargo.toml)
#   FUZZ_SECONDS=60        seconds per target (make fuzz)
#   FUZZ_SMOKE_SECONDS=10  seconds per target with --smoke (make fuzz-smoke, part of make test)
#   FUZZ_ARGS="..."        more libFuzzer flags, e.g. FUZZ_ARGS=-jobs=2
#
# Works with rustup's stable toolchain, no nightly needed: without a sanitizer
# (`--sanitizer none`) cargo-fuzz passes rustc only stable flags (-Cpasses=sancov-module,
# -Cllvm-args=-sanitizer-coverage-*, --cfg fuzzing), and libfuzzer-sys builds libFuzzer
# with the system C++ compiler. AddressSanitizer would need a nightly's runtime, and the
# core forbids unsafe code, so it would find little: panics, overflows (debug assertions
# are on), timeouts and runaway memory are what is left to find, and those need none.
#
# Seeds are read from fuzz/corpus/TARGET (committed); what libFuzzer adds goes to
# fuzz/target/corpus/TARGET (ignored), and so does each run's log, fuzz/target/logs/TARGET.log.
# A crash, panic, timeout or out-of-memory fails the run and names the input that caused it
# (fuzz/artifacts/TARGET/...), with the command that replays it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

SECONDS_PER_TARGET="${FUZZ_SECONDS:-60}"
if [ "${1:-}" = --smoke ]; then
    shift
    SECONDS_PER_TARGET="${FUZZ_SMOKE_SECONDS:-10}"
fi

command -v cargo-fuzz >/dev/null 2>&1 ||
    { echo "fuzz: cargo-fuzz is missing: run scripts/setup.sh (or cargo install cargo-fuzz)" >&2; exit 1; }

if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo fuzz list --fuzz-dir fuzz)
fi

# Dictionaries steer libFuzzer's mutations towards the names and punctuation each input
# format is made of.
dict_for() {
    case "$1" in
        callback | session_record) echo fuzz/dict/form.dict ;;
        json) ;;
        *) echo fuzz/dict/json.dict ;;
    esac
}

mkdir -p fuzz/target/logs
echo "fuzz: cargo fuzz build --sanitizer none ($(rustc --version))"
cargo fuzz build --fuzz-dir fuzz --sanitizer none >fuzz/target/logs/build.log 2>&1 ||
    { cat fuzz/target/logs/build.log >&2; exit 1; }

rows=()
failures=()
for t in "${targets[@]}"; do
    log="fuzz/target/logs/$t.log"
    grown="fuzz/target/corpus/$t"
    mkdir -p "$grown" "fuzz/corpus/$t"
    dict="$(dict_for "$t")"
    echo "fuzz: $t for ${SECONDS_PER_TARGET}s"
    status=0
    # shellcheck disable=SC2086 # FUZZ_ARGS is a list of flags
    cargo fuzz run --fuzz-dir fuzz --sanitizer none "$t" "$grown" "fuzz/corpus/$t" -- \
        -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 ${dict:+-dict=$dict} ${FUZZ_ARGS:-} >"$log" 2>&1 || status=$?
    # libFuzzer's closing lines: "Done N runs in S second(s)", then the stat:: lines;
    # the last status line ("#N ... cov: C ft: F corp: U/...") has coverage and corpus.
    runs="$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' "$log" | tail -n1)"
    rate="$(sed -nE 's/^stat::average_exec_per_sec: *([0-9]+).*/\1/p' "$log" | tail -n1)"
    secs="$(sed -nE 's/^Done [0-9]+ runs in ([0-9]+) second.*/\1/p' "$log" | tail -n1)"
    last="$(grep -E '^#[0-9]+' "$log" | tail -n1 || true)"
    cov="$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$last")"
    corp="$(sed -nE 's/.* corp: ([0-9]+).*/\1/p' <<<"$last")"
    if [ "$status" = 0 ]; then
        result=ok
    else
        input="$(sed -nE 's/.*Test unit written to (.*)$/\1/p' "$log" | tail -n1)"
        kind="$(sed -nE 's/^==[0-9]+== ERROR: libFuzzer: ([a-z-]+).*/\1/p' "$log" | tail -n1)"
        result="FAILED (${kind:-exit $status})"
        failures+=("$t")
        echo "fuzz: $t FAILED: ${kind:-cargo fuzz exited with $status}; log: $log" >&2
        # The panic message and the failing input, from the log.
        grep -E -A3 "panicked at|ERROR: libFuzzer|^Failing input|Test unit written" "$log" | head -n 30 >&2 || true
        if [ -n "$input" ]; then
            echo "fuzz: crashing input: $input" >&2
            echo "fuzz: replay: cargo fuzz run --fuzz-dir fuzz --sanitizer none $t $input" >&2
        else
            tail -n 20 "$log" >&2
        fi
    fi
    rows+=("$(printf '%-16s %8s %13s %10s %9s %8s  %s' "$t" "${secs:--}" "${runs:--}" "${rate:--}" "${cov:--}" "${corp:--}" "$result")")
done

echo
printf '%-16s %8s %13s %10s %9s %8s  %s\n' target seconds executions "exec/s" coverage corpus result
printf '%s\n' "${rows[@]}"
echo "fuzz: $((${#targets[@]} - ${#failures[@]})) passed, ${#failures[@]} failed"
[ "${#failures[@]}" = 0 ]
