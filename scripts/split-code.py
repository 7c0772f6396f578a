#!/usr/bin/env python3
"""Ships the module's code as five streams, which gzip compresses better than the code as
WebAssembly lays it out: the opcodes with the immediates that follow them closely (calls,
block types, globals, alignments, the functions' locals declarations), then the local
indices, the branch labels, the memory offsets and the i32 constants, each stream on its own,
where gzip finds the repeats of each kind among its own kind. The glue (`unsplit` in
js/glue.js) lays the code out again before it compiles the module.

    scripts/split-code.py module.wasm

The code section (id 10) becomes a custom section with an empty name in its place: the name's length (0), the lengths of the
first four streams (unsigned LEB128), then the five streams. Each function's size is left
out: the glue counts the blocks to find where a function ends. Every other section stays as
it is; the module may have no other custom section. Only the instructions the module uses
are known here and to the glue, which keeps the glue small.

The module is checked afterwards: the glue's own `unsplit`, run in Node, must give back the
module byte for byte, and refuse it cut short, or the build fails. An instruction this script does not know fails the
build too, naming it: it and `unsplit` learn it together.
"""

import os
import subprocess
import sys

OPS, LOCALS, LABELS, OFFSETS, I32 = range(5)

# The 0xFC instructions' immediates, by their second opcode: 0-7 are the saturating
# truncations; 8-11 memory.init, data.drop, memory.copy, memory.fill.
FC_IMMEDIATES = [0, 0, 0, 0, 0, 0, 0, 0, 2, 1, 2, 1]
# The instructions with one LEB128 immediate kept among the opcodes: call, global.get/set,
# memory.size/grow, i64.const.
ONE_IMMEDIATE = {0x10, 0x23, 0x24, 0x3F, 0x40, 0x42}
# The instructions with no immediate: unreachable, nop, else, return, drop, select, and the
# numeric ones (0x45-0xC4, sign extension included).
NO_IMMEDIATE = {0x00, 0x01, 0x05, 0x0F, 0x1A, 0x1B} | set(range(0x45, 0xC5))


def uleb(value):
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | 0x80 if value else byte)
        if not value:
            return bytes(out)


class Reader:
    def __init__(self, data, at=0):
        self.data, self.at = data, at

    def byte(self):
        self.at += 1
        return self.data[self.at - 1]

    def leb(self):
        """The bytes of one LEB128 and its value (unsigned: only counts are read for it)."""
        start, value, shift = self.at, 0, 0
        while True:
            byte = self.byte()
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return self.data[start:self.at], value


def split_body(body, streams, index):
    r = Reader(body)
    ops = streams[OPS]

    def leb(stream):
        raw, value = r.leb()
        streams[stream] += raw
        return value

    for _ in range(leb(OPS)):
        leb(OPS)
        leb(OPS)
    depth = 1
    while depth:
        op = r.byte()
        ops.append(op)
        if op in (0x02, 0x03, 0x04):
            leb(OPS)
            depth += 1
        elif op == 0x0B:
            depth -= 1
        elif op in (0x0C, 0x0D):
            leb(LABELS)
        elif op == 0x0E:
            for _ in range(leb(LABELS) + 1):
                leb(LABELS)
        elif op == 0x11:
            leb(OPS)
            leb(OPS)
        elif 0x20 <= op <= 0x22:
            leb(LOCALS)
        elif 0x28 <= op <= 0x3E:
            if leb(OPS) >= 0x40:
                sys.exit(f"split-code: function {index}: a memory index in a memarg (multi-memory)")
            leb(OFFSETS)
        elif op == 0x41:
            leb(I32)
        elif op in (0x43, 0x44):
            width = 4 if op == 0x43 else 8
            ops += body[r.at:r.at + width]
            r.at += width
        elif op == 0xFC:
            sub = leb(OPS)
            if sub >= len(FC_IMMEDIATES):
                sys.exit(f"split-code: function {index}: instruction 0xFC {sub} unknown")
            for _ in range(FC_IMMEDIATES[sub]):
                leb(OPS)
        elif op in ONE_IMMEDIATE:
            leb(OPS)
        elif op not in NO_IMMEDIATE:
            sys.exit(f"split-code: function {index}: instruction 0x{op:02X} unknown")
    if r.at != len(body):
        sys.exit(f"split-code: function {index} ends before its size says")


def sections(module):
    """Each section of `module`: its id, where it starts, where its content starts and ends."""
    r = Reader(module, 8)
    while r.at < len(module):
        start = r.at
        section = r.byte()
        _, size = r.leb()
        yield section, start, r.at, r.at + size
        r.at += size


def function_bodies(code):
    """A code section's content as its function count (its bytes) and each function's body."""
    r = Reader(code)
    raw, count = r.leb()
    found = []
    for _ in range(count):
        _, size = r.leb()
        found.append(code[r.at:r.at + size])
        r.at += size
    if r.at != len(code):
        sys.exit("split-code: the code section holds more than its functions")
    return raw, found


def code_bodies(module):
    """Each defined function's body, in index order (none without a code section)."""
    for section, _, content, end in sections(module):
        if section == 10:
            return function_bodies(module[content:end])[1]
    return []


def split_code(code):
    streams = [bytearray() for _ in range(5)]
    raw, found = function_bodies(code)
    streams[OPS] += raw
    for index, body in enumerate(found):
        split_body(body, streams, index)
    lengths = b"".join(uleb(len(s)) for s in streams[:-1])
    content = b"\0" + lengths + b"".join(streams)
    return b"\0" + uleb(len(content)) + content


def main():
    path = sys.argv[1]
    module = open(path, "rb").read()
    out = bytearray(module[:8])
    for section, start, content, end in sections(module):
        if section == 0:
            sys.exit("split-code: the module has a custom section (only the code's may be one)")
        out += split_code(module[content:end]) if section == 10 else module[start:end]
    split = path + ".split"
    open(split, "wb").write(out)
    # The glue's unsplit, as the entry carries it, must give the module back.
    glue = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "js", "glue.js")
    check = """
const fs = require('fs');
const [glue, split, original] = process.argv.slice(1);
const source = fs.readFileSync(glue, 'utf8');
const at = source.indexOf('\\nconst IMMEDIATES =');
if (at < 0 || source.indexOf('\\nfunction unsplit(') < at) throw new Error('js/glue.js has no IMMEDIATES then unsplit');
const unsplit = new Function(source.slice(at) + '\\nreturn unsplit;')();
const back = unsplit(new Uint8Array(fs.readFileSync(split)));
if (!Buffer.from(back).equals(fs.readFileSync(original))) {
  console.error('split-code: the glue\\'s unsplit does not give the module back');
  process.exit(1);
}
// A module cut short must be refused, not read on past its end.
const whole = new Uint8Array(fs.readFileSync(split));
for (const length of [whole.length - 1, whole.length >> 1]) {
  let refused = false;
  try { unsplit(whole.slice(0, length)); } catch { refused = true; }
  if (!refused) {
    console.error(`split-code: the glue's unsplit does not refuse the module cut to ${length} B`);
    process.exit(1);
  }
}
"""
    # A time limit: a cut-short module that unsplit did not refuse could keep it reading.
    subprocess.run(["node", "-e", check, glue, split, path], check=True, timeout=60)
    os.replace(split, path)
    print(f"split-code: {len(module)} -> {len(out)} B, code in five streams")


if __name__ == "__main__":
    main()
