#!/usr/bin/env python3
"""Shortens the wasm-level import and export names of a wasm-bindgen package (--target web).

wasm-bindgen names every import after its Rust binding plus a hash
(`__wbg_addEventListener_1a2b3c4d5e6f7a8b`) and every export after its Rust path
(`elementcore_signIn`, closure shims of several hundred characters); each name is stored
in the .wasm and again in the JS glue. This script

  1. runs binaryen's `wasm-opt --minify-imports-and-exports-and-modules` on
     PKG/anypoint_signin_bg.wasm: every import and export gets a name of one to three
     characters and all imports move into one module, "a"; wasm-opt prints the old -> new
     mapping (JSON);
  2. rewrites the glue PKG/anypoint_signin.js to match: the keys of the import object
     built in `__wbg_get_imports()`, the object it returns (now one module, with the
     snippet functions the wasm imports directly added under their new names), and every
     `wasm.NAME` export access;
  3. rewrites the export names the .d.ts files declare (`InitOutput`, and
     anypoint_signin_bg.wasm.d.ts) the same way.

Only wasm-level names change: the JS API of the package (`default`, `initSync`, `start`,
the `Core` class and its methods, the snippets' exports) stays as it is.
Replacements are of whole identifiers in known positions, never substrings. The script
fails, writing nothing, if the glue does not have the expected shape, if a name of the
mapping is not where it must be (every import in the import object; every export the glue
or its .d.ts uses), if an old generated name remains anywhere in the glue afterwards, or if
the rewritten glue is not valid JavaScript (node --check, where node is installed).

    minify-wasm-names.py [--names-out FILE] PKG_DIR WASM_OPT [WASM_OPT_ARGS...]

WASM_OPT_ARGS are the feature flags the module needs (--enable-reference-types, ...).
--names-out keeps the old -> new mapping, to read browser stack traces with.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

STEM = "anypoint_signin"
IDENT = r"[A-Za-z_$][A-Za-z0-9_$]*"
NOT_IDENT_BEFORE = r"(?<![A-Za-z0-9_$])"
NOT_IDENT_AFTER = r"(?![A-Za-z0-9_$])"
RESERVED = set("""await break case catch class const continue debugger default delete do else enum
    export extends false finally for function if implements import in instanceof interface let
    new null package private protected public return static super switch this throw true try
    typeof var void while with yield""".split())


def die(message):
    sys.exit(f"minify-wasm-names: {message}")


def token(name):
    """A regex matching `name` as a whole identifier."""
    return NOT_IDENT_BEFORE + re.escape(name) + NOT_IDENT_AFTER


# --- the wasm binary: just enough to list imports and exports -------------------------

def _leb(data, i):
    result = shift = 0
    while True:
        byte = data[i]
        i += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, i


def _name(data, i):
    n, i = _leb(data, i)
    return data[i:i + n].decode("utf-8"), i + n


def _limits(data, i):
    flags = data[i]
    i += 1
    _, i = _leb(data, i)
    if flags & 1:
        _, i = _leb(data, i)
    return i


def wasm_interface(path):
    """[(module, name, kind)] of the imports and [(name, kind)] of the exports."""
    data = open(path, "rb").read()
    if data[:8] != b"\0asm\1\0\0\0":
        die(f"{path} is not a wasm module")
    imports, exports = [], []
    i = 8
    while i < len(data):
        section = data[i]
        size, i = _leb(data, i + 1)
        end = i + size
        if section == 2:
            count, j = _leb(data, i)
            for _ in range(count):
                module, j = _name(data, j)
                name, j = _name(data, j)
                kind = data[j]
                j += 1
                if kind == 0:  # function: type index
                    _, j = _leb(data, j)
                elif kind == 1:  # table: reftype, limits
                    j = _limits(data, j + 1)
                elif kind == 2:  # memory: limits
                    j = _limits(data, j)
                elif kind == 3:  # global: valtype, mutability
                    j += 2
                else:
                    die(f"{path}: import {module}.{name} of unknown kind {kind}")
                imports.append((module, name, kind))
        elif section == 7:
            count, j = _leb(data, i)
            for _ in range(count):
                name, j = _name(data, j)
                kind = data[j]
                _, j = _leb(data, j + 1)
                exports.append((name, kind))
        i = end
    return imports, exports


# --- the JS glue ------------------------------------------------------------------------

def block(text, start_re, what):
    """(start, end) of the block opened by the line matching start_re and closed by the
    first later line with the same indentation that starts with '}'."""
    m = re.search(start_re, text, re.M)
    if not m:
        die(f"the glue has no {what} (wasm-bindgen's layout changed?)")
    indent = re.match(r"[ ]*", text[m.start():]).group(0)
    close = re.compile("^" + indent + r"\}.*$", re.M).search(text, m.end())
    if not close:
        die(f"the glue's {what} is not closed where expected")
    return m.start(), close.end()


def rewrite_imports(js, imports_map, wasm_imports, module_new):
    """Renames the keys of the import object(s) and replaces the returned per-module
    object by one module, `module_new`. Returns (js, names of the glue's own dead imports)."""
    fn_start, fn_end = block(js, r"^function __wbg_get_imports\(\) \{$", "__wbg_get_imports()")
    fn = js[fn_start:fn_end]

    # The returned object: one line per import module, `"module": jsValue,`.
    ret = re.search(r"^    return \{\n((?:        .*\n)*?)    \};\n\}\Z", fn, re.M)
    if not ret:
        die("__wbg_get_imports() does not end in `return { \"module\": importN, ... };`")
    modules = {}  # module name -> JS identifier of its import object
    for line in ret.group(1).splitlines():
        line = line.strip()
        if line == "__proto__: null,":
            continue
        m = re.fullmatch(r'("(?:[^"\\]|\\.)*"|' + IDENT + r"): (" + IDENT + r"),", line)
        if not m:
            die(f"unexpected line in the object __wbg_get_imports() returns: {line!r}")
        key = json.loads(m.group(1)) if m.group(1).startswith('"') else m.group(1)
        # A snippet imported from twice is listed twice, under two namespace imports of
        # the same file: the later wins, as in the object literal.
        modules[key] = m.group(2)

    wasm_modules = {module for module, _, _ in wasm_imports}
    missing = sorted(wasm_modules - set(modules))
    if missing:
        die(f"the wasm imports from modules the glue does not provide: {missing}")

    literal_ids = {}  # JS identifier -> (start, end) of its object literal in fn
    for ident in set(modules.values()):
        lit = re.search(r"^    const " + re.escape(ident) + r" = \{$", fn, re.M)
        if lit:
            literal_ids[ident] = block(fn, r"^    const " + re.escape(ident) + r" = \{$", ident)
        elif not re.search(r"^import \* as " + re.escape(ident) + r' from "[^"]*";?$', js, re.M):
            die(f"{ident} (an import object) is neither built in __wbg_get_imports() nor "
                "a namespace import")
    if len(literal_ids) > 1:
        die(f"more than one import object is built in __wbg_get_imports(): {sorted(literal_ids)}")

    # Group the mapping by module.
    by_module = {}
    for module, old, new in imports_map:
        by_module.setdefault(module, {})[old] = new

    dead = []
    extra = []  # (new, JS expression) for imports of namespace modules
    edits = []  # (start, end, replacement) in fn, applied back to front
    for module, ident in modules.items():
        names = by_module.get(module, {})
        if ident in literal_ids:
            start, end = literal_ids[ident]
            body = fn[start:end]
            # Keys sit one level in (8 spaces), one entry after the other.
            keys = list(re.finditer(r"^        (" + IDENT + r"):", body, re.M))
            seen = set()
            for k, m in enumerate(keys):
                old = m.group(1)
                if old == "__proto__":
                    continue
                seen.add(old)
                if old in names:
                    edits.append((start + m.start(1), start + m.end(1), names[old]))
                else:
                    # Binaryen dropped the import (its call sites were optimized away):
                    # drop the entry, up to the next key or the end of the object.
                    entry_end = keys[k + 1].start() if k + 1 < len(keys) else body.rindex("\n    }") + 1
                    edits.append((start + m.start(), start + entry_end, ""))
                    dead.append(old)
            lost = sorted(set(names) - seen)
            if lost:
                die(f"imports of {module} not found as keys of {ident} in the glue: {lost}")
        else:
            for old, new in names.items():
                if not re.match(IDENT + r"\Z", old):
                    die(f"import {module}.{old} is not a JS identifier")
                extra.append((new, f"{ident}.{old}"))

    # The single module the wasm now imports from.
    if literal_ids:
        (ident,) = literal_ids
        value = ident
        if extra:
            fields = "".join(f"\n            {new}: {expr}," for new, expr in sorted(extra))
            value = f"Object.assign({ident}, {{{fields}\n        }})"
    else:
        fields = "".join(f"\n            {new}: {expr}," for new, expr in sorted(extra))
        value = f"{{\n            __proto__: null,{fields}\n        }}"
    edits.append((ret.start(1), ret.end(1),
                  f"        __proto__: null,\n        {json.dumps(module_new)}: {value},\n"))

    for start, end, replacement in sorted(edits, reverse=True):
        fn = fn[:start] + replacement + fn[end:]
    return js[:fn_start] + fn + js[fn_end:], dead


def public_names(js):
    """Top-level names the glue exports (local names)."""
    names = set(re.findall(r"^export (?:async )?(?:function\*?|class|const|let|var) (" + IDENT + ")", js, re.M))
    for group in re.findall(r"^export \{([^}]*)\}", js, re.M):
        for part in group.split(","):
            if part.strip():
                names.add(part.split(" as ")[0].strip())
    return names


def rewrite_exports(js, exports_map):
    """`wasm.OLD` -> `wasm.NEW`; module-local functions named after an export (wasm-bindgen's
    closure shims) are renamed too. Returns (js, exports the glue never mentions)."""
    handle = NOT_IDENT_BEFORE + r"(?<!\.)wasm\.(" + IDENT + ")" + NOT_IDENT_AFTER
    unused = [old for old in exports_map if not re.search(token(old), js)]
    js = re.sub(handle, lambda m: "wasm." + exports_map.get(m.group(1), m.group(1)), js)
    for old, new in exports_map.items():
        if re.search(r"^function " + re.escape(old) + r"\(", js, re.M):
            local = "__wbg_export_" + new
            if re.search(token(local), js):
                die(f"cannot rename the glue's function {old}: {local} is taken")
            js = re.sub(NOT_IDENT_BEFORE + r"(?<!\.)" + re.escape(old) + NOT_IDENT_AFTER, local, js)
    bad = sorted({m.group(1) for m in re.finditer(handle, js)} - set(exports_map.values()))
    if bad:
        die(f"the glue reads exports the minified wasm does not have: {bad}")
    return js, unused


def rewrite_dts(text, exports_map, line_re, what):
    """Renames the export names declared by lines matching line_re (group 1: the name)."""
    declared = []

    def sub(m):
        old = m.group(1)
        declared.append(old)
        if old not in exports_map:
            die(f"{what} declares an export the wasm does not have: {old}")
        return m.group(0)[:m.start(1) - m.start()] + exports_map[old] + m.group(0)[m.end(1) - m.start():]

    return re.sub(line_re, sub, text, flags=re.M), declared


def check_syntax(js):
    node = shutil.which("node")
    if not node:
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "glue.mjs")
        open(path, "w").write(js)
        r = subprocess.run([node, "--check", path], capture_output=True, text=True)
        if r.returncode:
            die("the rewritten glue is not valid JavaScript:\n" + r.stderr)


def main(argv):
    names_out = None
    if argv[:1] == ["--names-out"]:
        if len(argv) < 2:
            die("--names-out needs a file")
        names_out, argv = argv[1], argv[2:]
    if len(argv) < 2:
        sys.exit(__doc__)
    pkg, wasm_opt, wasm_opt_args = argv[0], argv[1], argv[2:]
    wasm = os.path.join(pkg, f"{STEM}_bg.wasm")
    glue = os.path.join(pkg, f"{STEM}.js")
    dts = os.path.join(pkg, f"{STEM}.d.ts")
    wasm_dts = os.path.join(pkg, f"{STEM}_bg.wasm.d.ts")

    before_imports, before_exports = wasm_interface(wasm)
    out = wasm + ".names"
    r = subprocess.run([wasm_opt, *wasm_opt_args, "--minify-imports-and-exports-and-modules",
                        wasm, "-o", out], capture_output=True, text=True)
    try:
        if r.returncode:
            die(f"wasm-opt failed:\n{r.stderr}")
        try:
            mapping = json.loads(r.stdout)
        except ValueError:
            die(f"wasm-opt did not print a JSON mapping (binaryen 132 does):\n{r.stdout[:500]}")
        after_imports, after_exports = wasm_interface(out)

        # The mapping must account for the whole interface, and the new module must use it.
        imports_map = [tuple(entry) for entry in mapping["imports"]]
        exports_map = dict(tuple(entry) for entry in mapping["exports"])
        if sorted((m, o) for m, o, _ in imports_map) != sorted((m, n) for m, n, _ in before_imports):
            die("wasm-opt's import mapping does not match the module's imports")
        if sorted(exports_map) != sorted(n for n, _ in before_exports):
            die("wasm-opt's export mapping does not match the module's exports")
        new_modules = {m for m, _, _ in after_imports}
        if len(new_modules) > 1:
            die(f"the minified wasm imports from several modules: {sorted(new_modules)}")
        module_new = new_modules.pop() if new_modules else "a"
        new_import_names = [n for _, n, _ in after_imports]
        if sorted(new_import_names) != sorted(n for _, _, n in imports_map) \
                or len(set(new_import_names)) != len(new_import_names):
            die("the minified wasm's imports are not the mapping's (or two share a name)")
        if sorted(n for n, _ in after_exports) != sorted(exports_map.values()):
            die("the minified wasm's exports are not the mapping's")
        # The .d.ts files declare the new export names as `export const NAME`.
        odd = sorted(n for n in exports_map.values() if not re.fullmatch(IDENT, n) or n in RESERVED)
        if odd:
            die(f"minified export names that are not plain identifiers: {odd}")

        js = open(glue).read()
        original = js
        js, dead = rewrite_imports(js, imports_map, before_imports, module_new)
        js, unused = rewrite_exports(js, exports_map)

        # No generated name may survive: only the glue's own public names (`start`) and the
        # snippets' exports (imported by name from the snippet modules) keep theirs.
        public = public_names(original)
        glue_module_names = {old for m, old, _ in imports_map
                             if not m.startswith("./snippets/")} | set(dead)
        snippet_names = {old for m, old, _ in imports_map if m.startswith("./snippets/")}
        leftover = sorted(
            name for name in (glue_module_names | set(exports_map)) - public - snippet_names
            if re.search(token(name), js))
        if leftover:
            die(f"old names remain in the glue after the rewrite: {leftover}")
        for name in set(exports_map) & public:
            uses = len(re.findall(token(name), js))
            decls = len(re.findall(r"^export (?:async )?(?:function|class) " + re.escape(name)
                                   + NOT_IDENT_AFTER, js, re.M))
            if uses != decls:
                die(f"`{name}` is both a wasm export and a public JS name, and the glue uses it "
                    "other than as its own declaration; check the rewrite by hand")
        for module in {m for m, _, _ in before_imports if not m.startswith("./snippets/")}:
            if json.dumps(module) in js or f"'{module}'" in js:
                die(f"the old import module name {module!r} remains in the glue")
        check_syntax(js)

        dts_text, declared = rewrite_dts(
            open(dts).read(), exports_map, r"^    readonly (" + IDENT + "):", f"{STEM}.d.ts InitOutput")
        wasm_dts_text, declared_bg = rewrite_dts(
            open(wasm_dts).read(), exports_map, r"^export const (" + IDENT + "):", f"{STEM}_bg.wasm.d.ts")
        really_unused = sorted(set(unused) - set(declared) - set(declared_bg))
        if set(declared) != set(declared_bg):
            die(f"{STEM}.d.ts and {STEM}_bg.wasm.d.ts declare different exports")

        # All checks passed: write everything.
        open(glue, "w").write(js)
        open(dts, "w").write(dts_text)
        open(wasm_dts, "w").write(wasm_dts_text)
        if names_out:
            open(names_out, "w").write(r.stdout)  # as wasm-opt printed it, one name a line
        os.replace(out, wasm)
    finally:
        if os.path.exists(out):
            os.remove(out)

    old_bytes = sum(len(n) for _, n, _ in before_imports) + sum(len(n) for n, _ in before_exports)
    print(f"minify-wasm-names: {len(imports_map)} imports, {len(exports_map)} exports renamed "
          f"({old_bytes} bytes of names); glue rewritten"
          + (f"; dropped dead import entries: {dead}" if dead else "")
          + (f"; exports the glue never uses: {really_unused}" if really_unused else ""))


if __name__ == "__main__":
    main(sys.argv[1:])
