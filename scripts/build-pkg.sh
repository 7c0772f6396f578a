#!/usr/bin/env bash
# Builds the npm package into pkg/:
#   1. wasm-pack build --target web --release (Rust -> wasm -> wasm-bindgen glue), without
#      wasm-pack's own wasm-opt step;
#   2. binaryen 132's wasm-opt -Oz (Debian's wasm-opt 108 silently breaks Rust 1.96 output;
#      OPTIMIZE=0 to only strip names and debug sections, for scripts/size-measures.sh);
#      its functions put in the order that compresses best (scripts/order-functions.py,
#      about a minute); its stack checked to suffice
#      (scripts/stack-check.py); then its data segments joined into one, which compresses
#      better, and with the
#      package's own glue moved into the entry, which writes it into the module's memory;
#   3. pkg-template/ merged in: the entry module anypoint-signin.js, its types, package.json,
#      README, license texts; the language modules from js/lang/ into lang/;
#      custom-elements.json written from js/element-description.json;
#   4. the runner's TEST_OPTIONS set to false (the options of signIn() only the browser
#      tests use stay out of the package); the shipped JavaScript minified with terser
#      (MINIFY=0 to skip, for debugging);
#      the package's own glue (js/glue.js) and the runner (js/element.js), in the entry, in
#      place of wasm-bindgen's glue and snippet, the module's imports renamed as js/glue.js
#      names them (GLUE=wasm-bindgen keeps wasm-bindgen's glue, a module of its own, the
#      exports only it uses, the imports' names, and the runner as a module of its own in
#      snippets/, for scripts/size-measures.sh);
#      PKG_FEATURES adds cargo features (scripts/size-measures.sh) and
#      ANYPOINT_TOOLCHAIN_ENV names another toolchain env file (its rustup-route build);
#   5. scripts/smoke-pkg.sh on the result; only a package that passes replaces pkg/.
# The build happens in target/pkg-staging; a failed one stays there for inspection.
#
# PANIC=immediate-abort|abort (default: immediate-abort where std is built from source,
# i.e. the Debian route; rustup's prebuilt std only allows abort). Immediate-abort drops
# the panic machinery and messages: a panic becomes a bare wasm trap, which the element's
# JS shim turns into an anypoint-signin-error event.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=/dev/null
. "${ANYPOINT_TOOLCHAIN_ENV:-target/toolchain.env}"

STAGE="${STAGE:-$ROOT/target/pkg-staging}"
OUT="${OUT:-$ROOT/pkg}"
# The release settings (panic strategy, rustflags, std features, wasm-opt flags), shared
# with scripts/size-floor.sh.
# shellcheck source=scripts/wasm-release-env.sh
. "$ROOT/scripts/wasm-release-env.sh"

echo "build-pkg: wasm-pack build --target web --release (panic=$PANIC, $WASM_ROUTE toolchain, rustflags: ${rustflags:-none})"
rm -rf "$STAGE"
t0=$(date +%s)
# shellcheck disable=SC2086 # the *_ARGS variables hold several words on purpose
"$ROOT/scripts/wasm-cargo" pack build \
    --target web --release $WASM_PACK_MODE_ARGS --no-opt \
    --out-dir "$STAGE" --out-name anypoint_signin "$ROOT" -- $WASM_BUILD_STD_ARGS \
    ${PKG_FEATURES:+--features "$PKG_FEATURES"}
t1=$(date +%s)

wasm="$STAGE/anypoint_signin_bg.wasm"
"$WASM_OPT" --version | grep -q "version 132" || { echo "build-pkg: $WASM_OPT is not binaryen 132" >&2; exit 1; }
WASM_DIS="$(dirname "$WASM_OPT")/wasm-dis"
# The exports the glue (js/glue.js) does not use go first, and the code only they reach
# with them: the addresses of wasm-bindgen's abort handler's statics, and its table of JS
# values with the start function that fills it, which is nothing but the glue's import that
# does so (checked here; and afterwards, that no code uses such a table: the module holds
# no JS value).
# What only they reached goes with them, -Oz or not (OPTIMIZE=0).
own_glue=1
[ "${GLUE:-own}" = wasm-bindgen ] && own_glue=0
if [ "$own_glue" = 1 ]; then
"$WASM_DIS" "$wasm" | python3 -c '
import re, sys
text = sys.stdin.read()
init = re.search(r"^ \(import \"[^\"]*\" \"__wbindgen_init_externref_table\" \(func ([^\s)]+)", text, re.M)
start = re.search(r"^ \(export \"__wbindgen_start\" \(func ([^\s)]+)\)\)$", text, re.M)
if not init or not start or init.group(1) != start.group(1):
    sys.exit("build-pkg: __wbindgen_start does more than fill the table of JS values: update js/glue.js")'
    "$WASM_OPT" "${WASM_FEATURES[@]}" --remove-exports --pass-arg=remove-exports@$REMOVED_EXPORTS \
        --remove-unused-module-elements "$wasm" -o "$wasm.opt"
    mv "$wasm.opt" "$wasm"
fi
before=$(wc -c <"$wasm")
if [ "${OPTIMIZE:-1}" = 1 ]; then
    "$WASM_OPT" "${WASM_OPT_FLAGS[@]}" "$wasm" -o "$wasm.opt"
    echo "build-pkg: wasm-opt -Oz (binaryen 132): $before -> $(wc -c <"$wasm.opt") bytes"
else
    # Names and debug sections stripped all the same, so only -Oz's own work is left out.
    "$WASM_OPT" "${WASM_FEATURES[@]}" --strip-debug --strip-producers --strip-target-features "$wasm" -o "$wasm.opt"
fi
mv "$wasm.opt" "$wasm"
# Rust marks an absent String or Vec by a capacity of 0x8000_0000 (its niche), a constant
# -Oz writes out at each of its uses, 5 bytes each (about 300 in all); an immutable global
# that holds it is read in 2. The module goes through binaryen's text to get it: its uses
# in place of the constant, the global last among the globals (the others keep their
# indices). Only coalescing and reordering the locals follow, which make up what writing
# the module again from its text costs (0.08 KB gzip in all); -Oz would put the constant
# back.
if [ "${OPTIMIZE:-1}" = 1 ]; then
    "$WASM_DIS" "$wasm" | python3 -c '
import re, sys
text = sys.stdin.read()
niche = "(i32.const -2147483648)"
globals = list(re.finditer(r"^ \(global .*\n", text, re.M))
if text.count(niche) >= 8 and globals and "$niche" not in text:
    text = text.replace(niche, "(global.get $niche)")
    end = globals[-1].end()
    text = text[:end] + " (global $niche i32 " + niche + ")\n" + text[end:]
sys.stdout.write(text)' >"$wasm.wat"
    "$WASM_OPT" "${WASM_FEATURES[@]}" "$wasm.wat" --coalesce-locals --reorder-locals -o "$wasm"
    rm "$wasm.wat"
fi
# The functions in the order that compresses best (scripts/order-functions.py; 0.5 KB gzip,
# 0.2 KB more of the code in streams).
if [ "${OPTIMIZE:-1}" = 1 ]; then
    # As the code ships: in streams with the package's own glue (below).
    split_flag=()
    if [ "$own_glue" = 1 ] && [ "${SPLIT_CODE:-1}" = 1 ]; then split_flag=(--split); fi
    python3 "$ROOT/scripts/order-functions.py" "${split_flag[@]}" "$wasm" "$WASM_DIS" "$WASM_OPT" "${WASM_FEATURES[@]}"
fi
# The stack is small (scripts/wasm-release-env.sh): the module as shipped is checked to
# fit in it, on every path from its exports (scripts/stack-check.py).
if [ "$STACK_CHECKED" = 1 ]; then
    "$WASM_DIS" "$wasm" | python3 "$ROOT/scripts/stack-check.py"
fi
# The active data segments -Oz leaves, in one: it splits them around runs of zeros (the
# machine's start, a static, is mostly zeros), each split costing a segment's header, which
# gzip compresses worse than the zeros themselves. Segments further apart than 4 KB stay
# apart. With its own glue, when that leaves one, it leaves the module: js/glue.js writes it
# into the module's memory once instantiated, from the text the entry carries (below),
# where it compresses better with the JavaScript than in the module (0.3 KB gzip). The data
# count section goes too: only code that names segments needs it (then, with memory.init
# or data.drop, the segments are left as they are).
data_file="$STAGE.data"
rm -f "$data_file"
if [ "${OPTIMIZE:-1}" = 1 ] && ! "$WASM_DIS" "$wasm" | grep -qE '\b(memory\.init|data\.drop)\b'; then
python3 - "$wasm" "$own_glue" "$data_file" <<'EOF'
import sys
path, own_glue, data_file = sys.argv[1:]
data = open(path, "rb").read()
def leb(at, signed=False):
    value = shift = 0
    while True:
        byte = data[at]; at += 1
        value |= (byte & 0x7F) << shift; shift += 7
        if byte < 0x80:
            if signed and byte & 0x40:
                value -= 1 << shift
            return value, at
def uleb(value):
    out = bytearray()
    while True:
        byte = value & 0x7F; value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)
def sleb(value):
    out = bytearray()
    while True:
        byte = value & 0x7F; value >>= 7
        if (value == 0 and not byte & 0x40) or (value == -1 and byte & 0x40):
            return bytes(out + bytes([byte]))
        out.append(byte | 0x80)
sections, at = {}, 8
while at < len(data):
    size, body = leb(at + 1)
    sections[data[at]] = (at, body, body + size)
    at = body + size
if 11 not in sections:
    sys.exit(0)
start, at, end = sections[11]
count, at = leb(at)
segments = []
for _ in range(count):
    # Only active segments of memory 0 at a constant address: else all are left as they are.
    if data[at] != 0 or data[at + 1] != 0x41:
        sys.exit(0)
    offset, at = leb(at + 2, signed=True)
    if data[at] != 0x0B:
        sys.exit(0)
    length, at = leb(at + 1)
    segments.append([offset, data[at:at + length]])
    at += length
if at != end:
    sys.exit("build-pkg: the module's data section has more than its segments")
segments.sort(key=lambda s: s[0])
merged = [segments[0]]
for offset, content in segments[1:]:
    last = merged[-1]
    gap = offset - (last[0] + len(last[1]))
    if gap < 0:
        sys.exit("build-pkg: the module's data segments overlap")
    if gap <= 4096:
        last[1] = last[1] + bytes(gap) + content
    else:
        merged.append([offset, content])
if own_glue == "1" and len(merged) == 1:
    # The address of its first byte that is not zero, and its bytes from there to its last
    # that is not zero: the memory it is written into is zeros.
    offset, content = merged[0]
    first = len(content) - len(content.lstrip(b"\0"))
    open(data_file, "wb").write((offset + first).to_bytes(4, "little") + content.strip(b"\0"))
    data = data[:start] + data[end:]
else:
    out = bytearray(uleb(len(merged)))
    for offset, content in merged:
        out += b"\x00\x41" + sleb(offset) + b"\x0b" + uleb(len(content)) + content
    data = data[:start] + bytes([11]) + uleb(len(out)) + out + data[end:]
# The data count section (before the code section).
if 12 in sections:
    s12, _, e12 = sections[12]
    data = data[:s12] + data[e12:]
open(path, "wb").write(data)
EOF
fi
if [ "$own_glue" = 1 ] && "$WASM_DIS" "$wasm" | grep -q externref; then
    echo "build-pkg: the module uses a table of JS values, which js/glue.js does not fill" >&2
    exit 1
fi
t2=$(date +%s)

# The glue: js/glue.js in place of wasm-bindgen's (which also carries initSync, the
# deprecated call forms and fallbacks the package never uses), once wasm-bindgen's shows
# that the module imports, exports and passes strings as js/glue.js expects: no string
# crosses as wasm-bindgen passes one (the module copies them in and out of its memory
# itself, at addresses it gives: src/browser/mod.rs), so every import and export takes and
# returns numbers, and its imports are the three js/glue.js makes of the runner's jsonTokens
# and codedText, and effectsOut, which hands it the effects. With GLUE=wasm-bindgen,
# wasm-bindgen's glue stays, given those four imports and the init the entry calls, which
# do as js/glue.js does.
python3 - "$STAGE" "$ROOT/js/glue.js" "$REMOVED_EXPORTS" "$own_glue" <<'EOF'
import re, sys
stage, source, removed, own_glue = sys.argv[1:]
generated = open(f"{stage}/anypoint_signin.js").read()
glue = open(source).read()
def fail(why):
    sys.exit(f"build-pkg: wasm-bindgen's glue is not what js/glue.js stands in for ({why}): update js/glue.js")
# It imports no module: the module's imports are the glue's own.
if re.findall(r"^import .*$", generated, re.M):
    fail("its imports")
imports = re.findall(r"^        (\w+): function\(", generated, re.M)
if sorted(re.sub(r"_[0-9a-f]+$", "", i) for i in imports) != [
        "__wbg_codedText", "__wbg_effectsOut", "__wbg_jsonTake", "__wbg_jsonTokens",
        "__wbindgen_init_externref_table"]:
    fail(f"the module's imports: {imports}")
# Each import and export whole: numbers in and out (the text jsonTokens and codedText get
# is borrowed from the module's memory, so it frees nothing).
for line in ("export function handle(length, now) {\n    wasm.handle(length, now);\n}",
             ": function(arg0) {\n            jsonTake(arg0 >>> 0);\n        },",
             ": function(arg0, arg1) {\n            effectsOut(arg0 >>> 0, arg1 >>> 0);\n        },",
             ": function(arg0, arg1, arg2, arg3) {\n            const ret = jsonTokens(getStringFromWasm0(arg0, arg1), getStringFromWasm0(arg2, arg3));\n            return ret;\n        },",
             ": function(arg0, arg1, arg2) {\n            const ret = codedText(getStringFromWasm0(arg0, arg1), arg2 >>> 0);\n            return ret;\n        },",
             "export { initSync, __wbg_init as default };"):
    if line not in generated:
        fail(line)
exports = re.findall(r"^export function (\w+)", generated, re.M)
if exports != ["handle"]:
    fail(f"its exports: {exports}")
if own_glue == "0":
    generated += """
let runner, tokens, effects;
function effectsOut(at, length) {
    effects = getStringFromWasm0(at, length);
}
function jsonTokens(text, names) {
    tokens = new TextEncoder().encode(runner.jsonTokens(text, names));
    return tokens.length;
}
function codedText(text, how) {
    tokens = new TextEncoder().encode(runner.codedText(text, how));
    return tokens.length;
}
function jsonTake(at) {
    new Uint8Array(wasm.memory.buffer).set(tokens, at);
}
export async function init(response, r) {
    runner = r;
    await __wbg_init({ module_or_path: response });
    runner.defineElement((text, now) => {
        tokens = new TextEncoder().encode(text);
        handle(tokens.length, now);
        return effects;
    });
}
"""
    glue = generated
    removed = set()
else:
    removed = set(removed.split(","))
# The exports js/glue.js calls are the module's, less those removed above, by the letters
# they are renamed to below (with its own glue).
renamed = {"memory": "m", "handle": "h"} if own_glue == "1" else {}
declarations = f"{stage}/anypoint_signin_bg.wasm.d.ts"
lines, kept = [], set()
for line in open(declarations).read().splitlines(keepends=True):
    m = re.match(r"export const (\w+):", line)
    if m and m.group(1) in removed:
        continue
    if m:
        if m.group(1) not in renamed and own_glue == "1":
            fail(f"an export js/glue.js does not know: {m.group(1)}")
        short = renamed.get(m.group(1), m.group(1))
        kept.add(short)
        line = line.replace(f"export const {m.group(1)}:", f"export const {short}:")
    lines.append(line)
for name in sorted(set(re.findall(r"\bwasm\.(\w+)", glue)) - kept):
    fail(f"no export {name}")
open(declarations, "w").write("".join(lines))
open(f"{stage}/anypoint_signin.js", "w").write(glue)
# The entry carries js/glue.js (below); wasm-bindgen's glue, kept, gets the init's types.
if own_glue == "0":
    open(f"{stage}/anypoint_signin.d.ts", "w").write("""/**
 * Instantiates the WebAssembly module from the response to its fetch, with the runner's
 * jsonTokens and codedText, and hands the runner the machine: the effects of one input at
 * `now`.
 */
export function init(response: Promise<Response>, runner: {
    jsonTokens: (text: string, names: string) => string;
    codedText: (text: string, how: number) => string;
    defineElement: (machine: (input: string, now: number) => string) => void;
}): Promise<void>;
""")
EOF

# With its own glue, the module's imports get the short names js/glue.js gives them: the
# empty module name, each import a letter for the name the Rust side declares it by (`t`
# for `jsonTokens`, `c` for `codedText`, `k` for `jsonTake`, `e` for `effectsOut`),
# without wasm-bindgen's prefix, hash and module path, which only its glue needs; and its
# exports a letter each, the names js/glue.js calls them by (`m` the memory, `h` handle).
if [ "$own_glue" = 1 ]; then
python3 - "$wasm" <<'EOF'
import re, sys
path = sys.argv[1]
data = open(path, "rb").read()
EXPORTS = {b"memory": b"m", b"handle": b"h"}
def leb(at):
    value = shift = 0
    while True:
        byte = data[at]; at += 1
        value |= (byte & 0x7F) << shift; shift += 7
        if byte < 0x80:
            return value, at
def uleb(value):
    out = bytearray()
    while True:
        byte = value & 0x7F; value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)
def name(text):
    return uleb(len(text)) + text
def section(kind, what):
    """The section of that kind: where it starts, where its body starts, its body's size."""
    at = 8
    while at < len(data):
        size, body = leb(at + 1)
        if data[at] == kind:
            return at, body, size
        at = body + size
    sys.exit(f"build-pkg: the module has no {what}")
start, body, size = section(2, "imports")
count, at = leb(body)
out = bytearray(uleb(count))
for _ in range(count):
    length, at = leb(at); module = data[at:at + length]; at += length
    length, at = leb(at); field = data[at:at + length]; at += length
    if data[at] != 0:
        sys.exit("build-pkg: the module imports something other than a function")
    kind_and_type = data[at:leb(at + 1)[1]]
    at += len(kind_and_type)
    short = re.fullmatch(rb"__wbg_(jsonTokens|jsonTake|codedText|effectsOut)_[0-9a-f]+", field)
    if module != b"./anypoint_signin_bg.js" or not short:
        sys.exit(f"build-pkg: an import js/glue.js does not provide: {module!r} {field!r}")
    letter = {b"jsonTokens": b"t", b"codedText": b"c", b"jsonTake": b"k",
              b"effectsOut": b"e"}[short.group(1)]
    out += name(b"") + name(letter) + kind_and_type
if at != body + size:
    sys.exit("build-pkg: the module's import section has more than its imports")
data = data[:start] + bytes([2]) + uleb(len(out)) + out + data[body + size:]
# The exports too: `m` the memory, `h` handle (the only two).
start, body, size = section(7, "exports")
count, at = leb(body)
out = bytearray(uleb(count))
for _ in range(count):
    length, at = leb(at); field = data[at:at + length]; at += length
    kind_and_index = data[at:leb(at + 1)[1]]
    at += len(kind_and_index)
    if field not in EXPORTS:
        sys.exit(f"build-pkg: an export js/glue.js does not know: {field!r}")
    out += name(EXPORTS[field]) + kind_and_index
if at != body + size:
    sys.exit("build-pkg: the module's export section has more than its exports")
open(path, "wb").write(data[:start] + bytes([7]) + uleb(len(out)) + out + data[body + size:])
EOF
fi
# With its own glue, the module's code ships in five streams, which compress better than the
# code as WebAssembly lays it out; the glue lays it out again (scripts/split-code.py, which
# checks the glue's `unsplit` on it). SPLIT_CODE=0 ships the code as it is, for
# scripts/size-measures.sh.
if [ "$own_glue" = 1 ] && [ "${SPLIT_CODE:-1}" = 1 ]; then
    python3 "$ROOT/scripts/split-code.py" "$wasm"
fi

# pkg-template/ wins over what wasm-pack generated, except for the version (and the
# repository, unless the template names one), which follow Cargo.toml. License texts
# from the crate root, if any, win over the template's.
for f in pkg-template/*; do
    name="$(basename "$f")"
    case "$name" in
        LICENSE*) [ -e "$STAGE/$name" ] || cp "$f" "$STAGE/$name" ;;
        package.json) python3 - "$f" "$STAGE/package.json" <<'EOF' ;;
import json, sys
src, dst = sys.argv[1:]
generated = json.load(open(dst))  # wasm-pack's, from Cargo.toml
pkg = json.load(open(src))
pkg["version"] = generated["version"]
for key in ("repository", "homepage"):
    if key not in pkg and key in generated:
        pkg[key] = generated[key]
json.dump(pkg, open(dst, "w"), indent=2)
open(dst, "a").write("\n")
EOF
        *) cp -r "$f" "$STAGE/$name" ;;
    esac
done
rm -f "$STAGE/.gitignore"
# The languages besides English: a module each, which the entry imports only when an
# element on the page speaks it.
cp -r js/lang "$STAGE/lang"
# The Custom Elements Manifest (package.json's "customElements"), from the element's one
# description, which also gives the runner its attribute list (scripts/describe-element.py).
python3 "$ROOT/scripts/describe-element.py" manifest "$STAGE/custom-elements.json"

# The entry carries the glue (js/glue.js) and the runner (js/element.js), so the page
# fetches one module; it starts the runner as soon as it runs, while the .wasm downloads,
# and hands the runner to the glue, which gives it the machine and takes its jsonTokens and codedText.
# With GLUE=wasm-bindgen, the entry imports the runner from snippets/ and its init imports
# wasm-bindgen's glue, and the package lists both.
python3 - "$STAGE" "$own_glue" <<'EOF'
import glob, json, os, re, shutil, sys
stage, own_glue = sys.argv[1:]
entry = os.path.join(stage, "anypoint-signin.js")
text = open(entry).read()
# The runner is the one snippet (js/glue.js provides the module's imports itself).
snippets = [os.path.relpath(p, stage) for p in glob.glob(os.path.join(stage, "snippets", "**", "*.js"), recursive=True)]
marker = "/* runner */"
if text.count(marker) != 1 or len(snippets) != 1 or not snippets[0].endswith("/element.js"):
    sys.exit(f"build-pkg: {entry} needs one {marker}, and the glue the runner as its one snippet ({snippets})")
# Straight under snippets/: wasm-bindgen's folder of the crate's name and a hash goes.
runner = os.path.join("snippets", "element.js")
os.rename(os.path.join(stage, snippets[0]), os.path.join(stage, runner))
for folder, _, _ in sorted(os.walk(os.path.join(stage, "snippets")), reverse=True):
    if not os.listdir(folder) and folder != os.path.join(stage, "snippets"):
        os.rmdir(folder)
# The options of signIn() only the browser tests use stay out of the package: the runner
# passes them on only where it says so, and the minifier drops what only they need.
runner_path = os.path.join(stage, runner)
source = open(runner_path).read()
test_options = "\nconst TEST_OPTIONS = true;\n"
if source.count(test_options) != 1:
    sys.exit("build-pkg: js/element.js must declare TEST_OPTIONS true, once, on a line of its own")
open(runner_path, "w").write(source.replace(test_options, "\nconst TEST_OPTIONS = false;\n"))
glue_path = os.path.join(stage, "anypoint_signin.js")
if own_glue == "1":
    # The runner goes into the entry too, as a function the entry calls where it would have
    # imported it: one module for the page to fetch, and one gzip stream for the three.
    # Its exports become the members of the object it returns; its code runs (and defines
    # the element) when the entry calls it, after the entry's check for another copy.
    source = open(os.path.join(stage, runner)).read()
    exported = re.findall(r"^export function (\w+)\(", source, re.M)
    if len(re.findall(r"^export ", source, re.M)) != len(exported) or sorted(exported) != ["codedText", "defineElement", "jsonTokens", "stop"]:
        sys.exit(f"build-pkg: js/element.js must export codedText, defineElement, jsonTokens and stop, and nothing else ({exported})")
    source = source.replace("\nexport function ", "\nfunction ")
    # What the runner shares with the entry (the tag, the languages' symbol, the error
    # event), which the entry has the same lines of, goes from the runner: in the entry, the
    # runner uses the entry's.
    shared = re.compile(r"^// BEGIN shared with the entry[^\n]*\n(?://[^\n]*\n)*(.*?)^// END shared with the entry\n", re.M | re.S)
    blocks = shared.findall(source)
    if len(blocks) != 1 or blocks[0] not in text:
        sys.exit(f"build-pkg: js/element.js must have one block shared with the entry, whose lines {entry} has too")
    source = shared.sub("", source)
    text = text.replace(f"import({marker})", "Promise.resolve().then(startRunner)")
    if marker in text:
        sys.exit(f"build-pkg: {entry} must ask for the runner as import({marker})")
    text += f"\nfunction startRunner() {{\n{source}\nreturn {{ {', '.join(exported)} }};\n}}\n"
    shutil.rmtree(os.path.join(stage, "snippets"))
    # Appended: its init, which the entry calls only once the runner has started, stays the
    # entry's own, not exported.
    glue = open(glue_path).read()
    if glue.count("export ") != 1 or glue.count("\nexport async function init(") != 1:
        sys.exit("build-pkg: js/glue.js must export its init and nothing else")
    text += "\n" + glue.replace("\nexport async function init(", "\nasync function init(")
    os.remove(glue_path)
    os.remove(os.path.join(stage, "anypoint_signin.d.ts"))
else:
    text = text.replace(marker, f"'./{runner}'")
    text += """
async function init(response, runner) {
  return (await import('./anypoint_signin.js')).init(response, runner);
}
"""
    pkg_path = os.path.join(stage, "package.json")
    pkg = json.load(open(pkg_path))
    pkg["files"] += ["anypoint_signin.js", "anypoint_signin.d.ts", "snippets/"]
    pkg["sideEffects"] += ["./anypoint_signin.js", "./snippets/*"]
    json.dump(pkg, open(pkg_path, "w"), indent=2)
    open(pkg_path, "a").write("\n")
open(entry, "w").write(text)
EOF

if [ "${MINIFY:-1}" = 1 ]; then
    # About a third of the gzip size of the JS; the sources stay readable in the repository.
    # In the runner, properties named _name are its own (the element's parts and state), so
    # they are renamed too, its function declarations go first in their scope (hoist_funs),
    # only its simplest functions are inlined (inline=1), functions that use no `this` become
    # arrows (unsafe_arrows: it constructs none with `new`) and its text is written in ASCII,
    # with escapes (ascii_only): so it compresses best with gzip. Statements stay statements
    # (sequences=false): joined into comma sequences they compress worse with gzip. With its own
    # glue, the entry's one module holds the runner and the glue, so the runner's
    # defineElement, jsonTokens and codedText, which only the glue calls (the module's
    # imports are named by letters of their own), are renamed too (its stop is a DOM name,
    # which terser keeps).
    own_props='^_[a-z]'
    [ "$own_glue" = 1 ] && own_props='^(_[a-z]|defineElement$|jsonTokens$|codedText$)'
    while IFS= read -r -d '' js; do
        props=()
        compress=passes=3,sequences=false
        if [ "$(basename "$js")" = element.js ] || [ "$(basename "$js")" = anypoint-signin.js ]; then
            props=(--mangle-props "regex=/$own_props/" --format ascii_only=true)
            compress+=,hoist_funs=true,inline=1,unsafe_arrows=true
        fi
        "$TERSER" "$js" --module --ecma 2020 --compress "$compress" --mangle "${props[@]}" -o "$js.min"
        mv "$js.min" "$js"
    done < <(find "$STAGE" -name '*.js' -print0)
    echo "build-pkg: JavaScript minified with terser"
fi

# The module's data in the entry, where js/glue.js reads it (its DATA and DATA_AT): after
# the minifier, which would write its bytes as escapes. Each byte is the character of that
# number, written as itself but for the quote, the backslash, the line ends and zero; an
# empty text and 0 when the module keeps its data. The text is declared first in the
# entry, as _D, which the glue's DATA names: the JavaScript after it then repeats its words
# (0.04 KB gzip less than the text where the glue declares it).
if [ "$own_glue" = 1 ]; then
python3 - "$STAGE/anypoint-signin.js" "$data_file" <<'EOF'
import os, re, sys
entry, data_file = sys.argv[1:]
text = open(entry, encoding="utf-8").read()
at, content = 0, b""
if os.path.exists(data_file):
    data = open(data_file, "rb").read()
    at, content = int.from_bytes(data[:4], "little"), data[4:]
escapes = {0x22: '\\"', 0x5C: "\\\\", 0x0A: "\\n", 0x0D: "\\r"}
chars = []
for i, byte in enumerate(content):
    if byte == 0:
        # \0, but before a digit, which would make it an octal escape, \x00.
        chars.append("\\x00" if content[i + 1:i + 2].isdigit() else "\\0")
    else:
        chars.append(escapes.get(byte, chr(byte)))
marker = re.compile(r"""(["'])@module data@\1""")
address = re.compile(r"\b1234567891\b")
if len(marker.findall(text)) != 1 or len(address.findall(text)) != 1:
    sys.exit(f"build-pkg: {entry} must hold js/glue.js's DATA and DATA_AT values once each")
if re.search(r"\b_D\b", text):
    sys.exit(f"build-pkg: {entry} already uses the name _D, which the module's data is given")
text = address.sub(str(at), marker.sub("(_D)", text))
text = 'const _D="' + "".join(chars) + '";\n' + text
open(entry, "w", encoding="utf-8").write(text)
EOF
fi
rm -f "$data_file"

# Everything the package.json promises must be there, and nothing else shipped by accident.
python3 - "$STAGE" <<'EOF'
import json, os, sys
stage = sys.argv[1]
pkg = json.load(open(os.path.join(stage, "package.json")))
missing = [f for f in pkg["files"] if not os.path.exists(os.path.join(stage, f))]
for key in ("main", "module", "types"):
    if not os.path.exists(os.path.join(stage, pkg[key])):
        missing.append(f"{key}: {pkg[key]}")
if missing:
    sys.exit(f"build-pkg: package.json names files the build did not produce: {missing}")
listed = {f.rstrip("/") for f in pkg["files"]} | {"package.json"}
extra = sorted(set(os.listdir(stage)) - listed)
if extra:
    sys.exit(f"build-pkg: files in the package that package.json does not list: {extra}")
EOF

"$ROOT/scripts/smoke-pkg.sh" "$STAGE"

rm -rf "$OUT"
cp -r "$STAGE" "$OUT"
# The stamp lets `make bench` refuse to report sizes of a build that was not smoke-tested.
if [ "$OUT" = "$ROOT/pkg" ]; then
    (cd "$OUT" && find . -type f -print0 | sort -z | xargs -0 sha256sum) >"$ROOT/target/pkg.smoke-passed"
fi
echo "build-pkg: pkg/ ready (cargo + wasm-bindgen $((t1 - t0)) s, wasm-opt $((t2 - t1)) s, panic=$PANIC)"
ls -l "$OUT" | sed 1d
