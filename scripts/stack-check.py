#!/usr/bin/env python3
"""Proves that the module's stack is deep enough: reads the module as binaryen's text
(wasm-dis) on stdin and fails unless the deepest the stack can go, from any export, fits in
the stack the linker gave it, less its lowest KB.

The stack comes first in memory (the linker's --stack-first), from its size down to 0, and
the data right above it, so a small stack puts the data's addresses low, where the code
writes them in fewer bytes. The stack pointer is the module's first global (mutable, its
start value the stack's size). Each function moves it down by a constant on entry (and at
each inlined callee's entry) and back by the same constant on exit; the bound counts every
such move within a function as if all were taken at once, and adds the deepest of the
functions it calls (for an indirect call, every function of its type in the table). A
call graph with a cycle (recursion), or a write to the stack pointer of any other shape,
has no bound here: the check fails and names it. The lowest KB stays out of the bound:
wasm-opt's --low-memory-unused (scripts/wasm-release-env.sh) assumes that no valid address
is below 1024.

    wasm-dis module.wasm | python3 scripts/stack-check.py
"""

import re
import sys

LOW_MEMORY_UNUSED = 1024

text = sys.stdin.read()
sp = re.search(r"^ \(global (\$\S+) \(mut i32\) \(i32\.const (\d+)\)\)$", text, re.M)
first = re.search(r"^ \(global ", text, re.M)
if not sp or sp.start() != first.start():
    sys.exit("stack-check: the module's first global is not a mutable i32 stack pointer")
name, stack = re.escape(sp.group(1)), int(sp.group(2))

S = r"\s*"
# A frame made: the pointer moved down by a constant, kept in a local for the frame's use.
push = re.compile(
    rf"\(global\.set {name}{S}\(local\.tee \$\S+{S}\(i32\.(sub|add){S}"
    rf"\(global\.get {name}\){S}\(i32\.const (-?\d+)\)"
)
# A frame let go: the pointer set back from that local.
pop = re.compile(rf"\(global\.set {name}{S}\(i32\.(?:add|sub){S}\(local\.get \$\S+\){S}\(i32\.const -?\d+\)")

table = re.search(r"^ \(elem \S+ \(i32\.const \d+\)((?: \$\S+)*)\)$", text, re.M)
in_table = table.group(1).split() if table else []


def signature(declaration):
    """A function type as `param types -> result types`, from its params and results."""
    params = re.findall(r"\(param((?: \$\S+)? [^()]+?)\)", declaration)
    results = re.findall(r"\(result ([^()]+?)\)", declaration)
    types = [t for p in params for t in p.split() if not t.startswith("$")]
    return " ".join(types) + " -> " + " ".join(results)


types = {m.group(1): signature(m.group(2)) for m in re.finditer(r"^ \(type (\$\S+) \(func(.*)\)\)$", text, re.M)}

bodies = {body.split()[0]: body for body in re.split(r"\n \(func ", text)[1:]}
signatures = {func: signature(body.split("\n", 1)[0]) for func, body in bodies.items()}
frames, calls = {}, {}
for func, body in bodies.items():
    writes = len(re.findall(rf"global\.set {name}\b", body))
    pushes = push.findall(body)
    if writes != len(pushes) + len(pop.findall(body)):
        sys.exit(f"stack-check: {func} writes the stack pointer in a way this check cannot bound")
    size = 0
    for op, constant in pushes:
        down = int(constant) if op == "sub" else -int(constant)
        if down <= 0:
            sys.exit(f"stack-check: {func} moves the stack pointer up on entry")
        size += down
    frames[func] = size
    callees = set(re.findall(r"\(call (\$[^\s)]+)", body))
    # An indirect call may reach every function of its type in the table.
    for kind in re.findall(r"\(call_indirect (?:\$\S+ )?\(type (\$\S+)\)", body):
        callees |= {f for f in in_table if signatures.get(f) == types.get(kind)}
    calls[func] = callees

deepest, open_calls = {}, []


def depth(func):
    if func in deepest:
        return deepest[func]
    if func in open_calls:
        cycle = open_calls[open_calls.index(func):] + [func]
        sys.exit("stack-check: the call graph has a cycle, so the stack has no bound: " + " -> ".join(cycle))
    open_calls.append(func)
    below = max((depth(c) for c in calls[func] if c in frames), default=0)
    open_calls.pop()
    deepest[func] = frames[func] + below
    return deepest[func]


sys.setrecursionlimit(100_000)
exports = re.findall(r"^ \(export \"[^\"]*\" \(func (\$\S+)\)\)$", text, re.M)
bound = max((depth(f) for f in exports if f in frames), default=0)
room = stack - LOW_MEMORY_UNUSED
if bound > room:
    sys.exit(
        f"stack-check: the stack may need {bound} B but has {room} B above its lowest KB: "
        "raise -zstack-size in scripts/wasm-release-env.sh"
    )
print(f"stack-check: at most {bound} B of the {stack} B stack (the lowest {LOW_MEMORY_UNUSED} B unused)")
