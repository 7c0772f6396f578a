// The JavaScript side of the WebAssembly module's interface, which the package's entry
// (pkg-template/anypoint-signin.js) carries in place of the glue wasm-bindgen generates, so
// the package ships one module fewer (scripts/build-pkg.sh appends it there, its init not
// exported): the package needs only the machine (`handle`, a string in, a string out,
// `src/browser/mod.rs`, for the runner js/element.js, which the entry hands over), the
// module's four imports (three made of the runner's `jsonTokens` and `codedText`, and the
// one that hands over the effects) and the module instantiated from the response the entry
// fetched (the module holds no JS value, so wasm-bindgen's table of
// them and its start function that fills it are left out of it).
// Strings cross as UTF-8 in the module's memory, at addresses the module gives and in
// memory it owns, so the glue allocates and frees nothing. The imports are told apart by
// the names scripts/build-pkg.sh gives them in the module; it checks against wasm-bindgen's
// glue that the module asks for nothing else and takes and returns what this glue passes.

/** The module's data (its strings and the machine's start): scripts/build-pkg.sh takes it
 * out of the module, declares it first in the entry as a text of its bytes, one character
 * each (in one gzip stream with the JavaScript they compress better than in the module),
 * and names that text in place of this one, and its address in place of `DATA_AT`'s value.
 * Left as it is in no build: an empty text when the module keeps its data. */
const DATA = '@module data@';

/** The address of the module's data in its memory (see `DATA`). */
const DATA_AT = 1234567891;

/** The module's exports, once instantiated, by the names scripts/build-pkg.sh gives them:
 * `m` its memory, `h` its `handle`. @type {any} */
let wasm;

/** The last text kept (an input, or what `jsonTokens` or `codedText` made), UTF-8.
 * @type {Uint8Array} */
let kept;

/** `text` kept, as UTF-8: its length. */
const keep = (/** @type {string} */ text) => (kept = new TextEncoder().encode(text)).length;

/** The UTF-8 text at `at` in the module's memory (UTF-8 is the decoder's default label). A
 * decoder per text: Safari's fails once one decoder has decoded 2 GB. */
function get(/** @type {number} */ at, /** @type {number} */ length) {
  return new TextDecoder(undefined, { ignoreBOM: true }).decode(new Uint8Array(wasm.m.buffer, at >>> 0, length));
}

/** The effects the module handed over last (`effectsOut`, which each `handle` calls).
 * @type {string} */
let effects;

/** The machine: the effects of one input at `now` (`handle` in `src/browser/mod.rs`). The
 * module has the input written by `jsonTake`, and hands the effects over by `effectsOut`. */
function handle(/** @type {string} */ input, /** @type {number} */ now) {
  wasm.h(keep(input), now);
  return effects;
}

/**
 * Instantiates the module from `response`, the entry's fetch of anypoint_signin_bg.wasm
 * (read whole, its code laid out again by `unsplit`), with the `jsonTokens` and `codedText` of `runner` (js/element.js), and hands the runner the
 * machine, which hands it the inputs that waited for it.
 * @param {Promise<Response>} response
 * @param {{jsonTokens: (text: string, names: string) => string, codedText: (text: string, how: number) => string, defineElement: (machine: typeof handle) => void}} runner
 */
export async function init(response, runner) {
  // The module's four imports, by the names scripts/build-pkg.sh gives them: of the module
  // named by the empty string, `t` is `jsonTokens`, `c` `codedText`, `k` `jsonTake` and `e`
  // `effectsOut`.
  const imports = {
    '': {
      // The runner's `jsonTokens` of the text at `at` and the names at `names`, kept.
      t: (/** @type {number} */ at, /** @type {number} */ length, /** @type {number} */ names, /** @type {number} */ size) =>
        keep(runner.jsonTokens(get(at, length), get(names, size))),
      // The runner's `codedText` of the text at `at`, kept.
      c: (/** @type {number} */ at, /** @type {number} */ length, /** @type {number} */ how) =>
        keep(runner.codedText(get(at, length), how)),
      // The text kept, written at `at` in the module's memory, where the module made room
      // for it (read after the call that gave `at`, which may have grown it).
      k: (/** @type {number} */ at) => new Uint8Array(wasm.m.buffer).set(kept, at >>> 0),
      // The effects, the text at `at`.
      e: (/** @type {number} */ at, /** @type {number} */ length) => {
        effects = get(at, length);
      },
    },
  };
  const r = await response;
  if (!r.ok) throw new Error(`${r.status} ${r.statusText} ${r.url}`);
  // Read whole: the code comes in streams that `unsplit` lays out again. Then compiled and
  // instantiated at once (a few milliseconds for this module): no compilation is left
  // running in the background between the download and the machine.
  wasm = new WebAssembly.Instance(new WebAssembly.Module(unsplit(new Uint8Array(await r.arrayBuffer()))), imports).exports;
  // The module's data, written before the module first runs (a fresh memory is zeros).
  const memory = new Uint8Array(wasm.m.buffer);
  let at = DATA_AT;
  for (const c of DATA) memory[at++] = c.charCodeAt(0);
  runner.defineElement(handle);
}

/** What follows each opcode up to 0x44, by a letter `unsplit` reads: `a` nothing, `b` a block
 * type (and a block begins), `c` nothing (a block ends), `d` a label, `e` a table of labels,
 * `f` one LEB128 and `g` two kept among the opcodes, `h` a local index, `i` an alignment and
 * an offset, `j` an i32, `k` 4 bytes and `l` 8. */
const IMMEDIATES = 'aabbbaaaaaacddeafgaaaaaaaaaaaaaahhhffaaaiiiiiiiiiiiiiiiiiiiiiiiffjfkl';

/**
 * The module as WebAssembly reads it, from the module as the package ships it: its code
 * section in five streams, in a custom section with an empty name in its place
 * (scripts/split-code.py, which says why and checks this function against it at each
 * build). The opcodes, with the immediates kept among them, come from stream 0; local
 * indices from 1, branch labels from 2, memory offsets from 3, i32 constants from 4. Each
 * function's size, which the streams leave out, is written once its last block ends. A
 * module without such a section is returned as it is; one cut short, or whose opcodes run
 * past its end, throws. Self-contained but for
 * `IMMEDIATES`: the build runs the two on their own, in Node.
 * @param {Uint8Array<ArrayBuffer>} m
 * @returns {Uint8Array<ArrayBuffer>}
 */
function unsplit(m) {
  // Room for the module laid out again: each function is at least 2 bytes of the streams,
  // and its size takes at most 5 more.
  const out = new Uint8Array(m.length * 4);
  let o = 0;
  /** Where each stream is read next, and the module's sections as stream 5. @type {number[]} */
  const next = [];
  // One byte of `stream`, copied.
  const one = (/** @type {number} */ stream) => (out[o++] = m[next[stream]++]);
  // One LEB128 of `stream`, copied: its value (for counts: small and unsigned).
  const leb = (/** @type {number} */ stream) => {
    let value = 0;
    for (let shift = 0, b = 128; b > 127; shift += 7) value |= ((b = one(stream)) & 127) << shift;
    return value;
  };
  // Writes the size of what was written since 5 bytes after `start`, at `start`, and
  // closes the gap.
  const close = (/** @type {number} */ start) => {
    let size = o - start - 5;
    const to = start;
    do out[start++] = size > 127 ? (size & 127) | 128 : size;
    while ((size >>>= 7));
    out.copyWithin(start, to + 5, o);
    o -= to + 5 - start;
  };
  // Past the sections kept as they are (what the reads copy is written over below).
  for (next[5] = 8; m[next[5]]; ) {
    next[5]++;
    const size = leb(5);
    next[5] += size;
  }
  const at = next[5];
  if (at >= m.length) return m;
  // The section's size, the name's length (0), the streams' lengths, then the streams.
  next[5]++;
  const end = leb(5) + next[5];
  // A file cut short: refused before it is read.
  if (end > m.length) throw new Error('the WebAssembly module is cut short');
  next[5]++;
  const lengths = [leb(5), leb(5), leb(5), leb(5)];
  for (let i = 0, from = next[5]; i < 5; from += lengths[i++]) next[i] = from;
  // The sections before, as they are (over what the reads above copied), then the code's.
  out.set(m.subarray(0, at));
  out[at] = 10;
  o = at + 6;
  for (let functions = leb(0); functions--; ) {
    const start = o;
    o += 5;
    // The locals: their groups, each a count and a type.
    for (let groups = leb(0); groups--; ) leb(0), leb(0);
    for (let depth = 1; depth; ) {
      let op = one(0);
      // Past the end (not the package's module): refused here, where the block count would
      // never come down.
      if (op === undefined) throw new Error('the WebAssembly module is damaged');
      switch (op > 68 ? (op == 252 ? 'm' : 'a') : IMMEDIATES[op]) {
        case 'b':
          leb(0);
          depth += 2;
        // falls through
        case 'c':
          depth--;
          break;
        case 'd':
          leb(2);
          break;
        case 'e':
          for (let n = leb(2) + 1; n--; ) leb(2);
          break;
        case 'g':
          leb(0);
        // falls through
        case 'f':
          leb(0);
          break;
        case 'h':
          leb(1);
          break;
        case 'i':
          leb(0);
          leb(3);
          break;
        case 'j':
          leb(4);
          break;
        case 'l':
          one(0), one(0), one(0), one(0);
        // falls through
        case 'k':
          one(0), one(0), one(0), one(0);
          break;
        // 0xFC: the truncations (0-7) take nothing, memory.init and .copy two, data.drop and
        // memory.fill one.
        case 'm':
          for (let n = (op = leb(0)) > 7 ? 2 - (op & 1) : 0; n--; ) leb(0);
      }
    }
    close(start);
  }
  close(at + 1);
  // The sections after, as they are.
  out.set(m.subarray(end), o);
  return out.slice(0, o + m.length - end);
}
