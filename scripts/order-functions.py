#!/usr/bin/env python3
"""Orders the functions of a module so that its code compresses better: functions that share
instruction sequences sit side by side, where gzip refers back to what it has just seen in
fewer bits than to something far away. The order has no meaning in WebAssembly beyond each
function's index, which binaryen renumbers as it writes the module from its text (calls,
the table and the exports name functions there, not number them).

    scripts/order-functions.py [--split] module.wasm WASM_DIS WASM_OPT [wasm-opt feature flags...]

The search, by the size under gzip -9 (zlib, level 9) of the functions' code as it ships:
as WebAssembly lays it out, or with --split in the five streams of scripts/split-code.py,
each stream the functions' parts of it in their order:
  1. a greedy order: from the largest function on, each next one is the function that its
     predecessors, the last 2 KB of them, compress best (its added bytes against its bytes
     alone, as WebAssembly lays them out);
  2. then single functions moved, one at a time, to random places (a fixed seed, so a
     build is reproducible), keeping each move that shrinks the whole;
  3. the module written with that order, read again (the calls now carry the new indices),
     and step 2 run once more on that.
The module is rewritten only when its code comes out smaller than it went in.
"""

import importlib.util
import os
import random
import re
import subprocess
import sys
import zlib

# The module's sections and functions are read, and split into streams, as
# scripts/split-code.py does.
_spec = importlib.util.spec_from_file_location(
    "split_code", os.path.join(os.path.dirname(os.path.abspath(__file__)), "split-code.py"))
split_code = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(split_code)

GREEDY_WINDOW = 2048
MOVES = (6000, 3000)


def gz(data):
    packer = zlib.compressobj(9, zlib.DEFLATED, -15, 8)
    return len(packer.compress(data) + packer.flush())


def functions(text):
    """The module's text cut into what precedes its functions and the functions, in order."""
    first = text.index("\n (func ")
    rest = text[first:].rstrip("\n")
    if not rest.endswith(")"):
        sys.exit("order-functions: the module's text does not end its module")
    parts = [p for p in re.split(r"(?=\n \(func )", rest[:-1]) if p]
    return text[:first], parts


def greedy(code):
    alone = [gz(c) or 1 for c in code]
    left = set(range(len(code)))
    current = max(left, key=lambda i: (len(code[i]), -i))
    order, tail = [current], code[current]
    left.remove(current)
    while left:
        window = tail[-GREEDY_WINDOW:]
        base = gz(window)
        best = min(left, key=lambda i: ((gz(window + code[i]) - base) / alone[i], i))
        order.append(best)
        left.remove(best)
        tail += code[best]
    return order


def pieces_of(code, split):
    """Each function's code as it ships: whole, or (--split) its part of each of the five
    streams of scripts/split-code.py."""
    if not split:
        return [(c,) for c in code]
    out = []
    for index, body in enumerate(code):
        streams = [bytearray() for _ in range(5)]
        split_code.split_body(body, streams, index)
        out.append(tuple(bytes(s) for s in streams))
    return out


def shipped(pieces, order):
    """The functions' code in `order` as it ships, under gzip -9."""
    return gz(b"".join(b"".join(pieces[i][k] for i in order) for k in range(len(pieces[0]))))


def moved(pieces, order, moves, seed):
    whole = shipped(pieces, order)
    rng = random.Random(seed)
    for _ in range(moves):
        take, put = rng.randrange(len(order)), rng.randrange(len(order))
        if take == put:
            continue
        trial = order[:]
        trial.insert(put, trial.pop(take))
        size = shipped(pieces, trial)
        if size < whole:
            order, whole = trial, size
    return order


def main():
    split = sys.argv[1] == "--split"
    path, wasm_dis, wasm_opt, features = sys.argv[1 + split], sys.argv[2 + split], sys.argv[3 + split], sys.argv[4 + split:]
    original = open(path, "rb").read()
    module = original
    work = path + ".order"
    for round_, moves in enumerate(MOVES):
        code = split_code.code_bodies(module)
        pieces = pieces_of(code, split)
        open(work + ".wasm", "wb").write(module)
        subprocess.run([wasm_dis, work + ".wasm", "-o", work + ".wat"], check=True)
        head, parts = functions(open(work + ".wat").read())
        if len(parts) != len(code):
            sys.exit("order-functions: the text and the code section disagree on the functions")
        order = greedy(code) if round_ == 0 else list(range(len(code)))
        order = moved(pieces, order, moves, seed=round_ + 1)
        open(work + ".wat", "w").write(head + "".join(parts[i] for i in order) + ")\n")
        # No passes: the module written as its text says, functions in the text's order.
        written = subprocess.run([wasm_opt, *features, work + ".wat", "-o", work + ".wasm"],
                                 capture_output=True, text=True)
        if written.returncode != 0:
            sys.exit("order-functions: wasm-opt could not write the module:\n" + written.stderr)
        module = open(work + ".wasm", "rb").read()
    for leftover in (work + ".wasm", work + ".wat"):
        os.remove(leftover)
    code = split_code.code_bodies(original)
    before = shipped(pieces_of(code, split), range(len(code)))
    code = split_code.code_bodies(module)
    after = shipped(pieces_of(code, split), range(len(code)))
    if after < before:
        open(path, "wb").write(module)
    print(f"order-functions: {len(code)} functions, their code as shipped {before} -> {min(before, after)} B gzip -9")


if __name__ == "__main__":
    main()
