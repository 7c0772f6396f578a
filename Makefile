# anypoint-signin: build, test, package.
#
# Every target first runs scripts/setup.sh, which installs what is missing (quick when
# nothing is) and writes target/toolchain.env. Native builds use the normal `cargo`;
# wasm builds go through scripts/wasm-cargo (rustup's wasm32 target, or Debian's Rust
# with -Z build-std where rustup cannot fetch the target) in target/wasm.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
# The steps share target dirs and two cores: running them side by side only thrashes.
.NOTPARALLEL:
.DEFAULT_GOAL := help

ENV := . target/toolchain.env &&
# Features of the browser test build; test-hooks lets the tests make the module trap.
WASM_TEST_FEATURES ?= test-hooks
# What the wasm32 clippy lints: the browser half of the crate and its tests only compile
# for wasm32, so the native clippy never sees them.
WASM_CLIPPY_TARGETS ?= --all-targets

.PHONY: help setup fmt lint test test-native test-e2e test-browser pkg bench playground clean fuzz fuzz-smoke test-types

help:
	@echo "make setup         install what is missing (wasm32 Rust: rustup target or Debian rustc-web + lld-22; Chromium, Firefox ESR + geckodriver, WebKitGTK + xvfb; wasm-bindgen-cli, wasm-pack, binaryen), write target/toolchain.env"
	@echo "make test          fmt check, clippy, pkg + smoke test, native tests, end-to-end and browser tests in Chromium, Firefox and WebKit (what CI runs)"
	@echo "make test-native   cargo test --workspace (end-to-end tests in Chromium), then the end-to-end tests in the other engines of ENGINE"
	@echo "make test-e2e      the end-to-end tests (tests/e2e_*.rs) in each engine of ENGINE"
	@echo "make test-browser  wasm-bindgen tests against the mock server in each engine of ENGINE"
	@echo "                   ENGINE=chromium|firefox|webkit picks engines (default: all three); a missing one fails under CI=true, else is skipped with a warning"
	@echo "make test-types    tsc --strict of tests/types/ (a TypeScript and a React 19 app) against pkg/'s declarations; needs make pkg"
	@echo "make pkg           build the npm package into pkg/ and smoke-test it in headless Chromium"
	@echo "make bench         size of the package (gate: 30 KB gzip, the goal; each language module 1 KB), the mock-server load and the page timings"
	@echo "make playground    pkg + mock server on :8081 + www/ on http://127.0.0.1:8080/"
	@echo "make fmt | lint    cargo fmt | fmt check + clippy (native, and wasm32 for the browser code) + tsc --checkJs of js/ and its generated attribute list"
	@echo "make fuzz          each fuzz target for FUZZ_SECONDS (default 60), then executions per target"
	@echo "make fuzz-smoke    fmt check + clippy of fuzz/, each target for FUZZ_SMOKE_SECONDS (default 10)"
	@echo "make clean         remove pkg/"

setup:
	@bash scripts/setup.sh

fmt: setup
	$(ENV) cargo fmt --all

lint: setup
	$(ENV) cargo fmt --all -- --check
	$(ENV) cargo clippy --workspace --all-targets -- -D warnings
	$(ENV) scripts/wasm-cargo clippy --target wasm32-unknown-unknown -p anypoint-signin \
	    $(WASM_CLIPPY_TARGETS) --features "$(WASM_TEST_FEATURES)" $$WASM_BUILD_STD_ARGS -- -D warnings
	$(ENV) scripts/wasm-cargo clippy --target wasm32-unknown-unknown -p protocol-size \
	    $$WASM_BUILD_STD_ARGS -- -D warnings
	$(ENV) tsc -p js/tsconfig.json
	python3 scripts/describe-element.py js --check

# The package's declarations as a TypeScript app and a React 19 app use them (tests/types/),
# compiled against pkg/ as make pkg built it.
test-types: setup
	@test -f pkg/anypoint-signin.d.ts || { echo "test-types: no pkg/anypoint-signin.d.ts; run make pkg first" >&2; exit 1; }
	$(ENV) tsc -p tests/types/tsconfig.json

# pkg before the native tests: the end-to-end tests (tests/e2e_*.rs) load pkg/.
test: lint pkg test-types test-native test-browser fuzz-smoke

# The browser engines of test-browser and test-e2e (scripts/engines.sh runs the command
# once per engine, with its WebDriver; WebKit under xvfb-run): ENGINE=firefox make
# test-browser runs one. One not installed fails the run under CI=true and is skipped with
# a warning otherwise.
ENGINE ?= chromium firefox webkit
# The end-to-end test binaries of the playground; their harness (tests/e2e/) reads
# ANYPOINT_ENGINE. e2e_bundlers (npm builds of the package) runs in Chromium only, within
# cargo test --workspace.
E2E_TESTS ?= e2e_signin e2e_errors e2e_lifecycle e2e_playground e2e_accessibility e2e_looks e2e_languages

# The end-to-end tests run in Chromium within cargo test --workspace, then in ENGINE's others.
# --workspace there too: the same features, so the same test binaries, nothing rebuilt.
E2E_CARGO_TEST = cargo test --workspace $(addprefix --test ,$(E2E_TESTS))
test-native: setup
	$(ENV) ANYPOINT_ENGINE=chromium cargo test --workspace
	$(ENV) $(if $(filter-out chromium,$(ENGINE)),scripts/engines.sh "$(filter-out chromium,$(ENGINE))" $(E2E_CARGO_TEST),true)

test-e2e: setup
	$(ENV) scripts/engines.sh "$(ENGINE)" $(E2E_CARGO_TEST)

# No -q: cargo would pass it on to wasm-bindgen-test-runner, which rejects it.
# The runner's page is cross-origin isolated by default (COEP require-corp), which blocks
# the iframe the tests follow the mock server's redirects in. Its timeout covers a whole
# test binary, and a sign-in test waits on real redirects. One mock server for every
# engine: the tests are compiled with its address, so the engines share one build.
test-browser: setup
	$(ENV) CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
	    WASM_BINDGEN_TEST_NO_ORIGIN_ISOLATION=1 WASM_BINDGEN_TEST_TIMEOUT=300 \
	    scripts/with-mock-server.sh scripts/engines.sh "$(ENGINE)" \
	    scripts/wasm-cargo test --target wasm32-unknown-unknown \
	    -p anypoint-signin --features "$(WASM_TEST_FEATURES)" $$WASM_BUILD_STD_ARGS

pkg: setup
	$(ENV) scripts/build-pkg.sh

# The protocol core's fuzz targets (fuzz/: cargo-fuzz and libFuzzer on the stable
# toolchain, see scripts/fuzz.sh), one after another. A crash fails the run and names the
# input (fuzz/artifacts/...).
FUZZ_SECONDS ?= 60
fuzz: setup
	$(ENV) FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh

# What make test runs of them: the fuzz crate is a workspace of its own, so the lint
# target does not see it; then every target briefly.
FUZZ_SMOKE_SECONDS ?= 10
fuzz-smoke: setup
	$(ENV) cargo fmt --manifest-path fuzz/Cargo.toml -- --check
	$(ENV) cargo clippy --manifest-path fuzz/Cargo.toml --all-targets -- -D warnings
	$(ENV) FUZZ_SMOKE_SECONDS=$(FUZZ_SMOKE_SECONDS) scripts/fuzz.sh --smoke

bench: pkg
	@bash scripts/setup.sh --bench >/dev/null
	$(ENV) scripts/bench.sh

playground: pkg
	$(ENV) scripts/playground.sh

clean:
	rm -rf pkg target/pkg-staging target/pkg.smoke-passed target/protocol-size
