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
 * (compiled while it downloads; read whole when the server does not call it application/wasm),
 * with the `jsonTokens` and `codedText` of `runner` (js/element.js), and hands the runner the
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
  let source;
  try {
    // Compiled while it downloads.
    source = await WebAssembly.instantiateStreaming(r, imports);
  } catch (error) {
    // Refused before reading it when the server does not call it application/wasm: then
    // it is read whole. Any other failure stands.
    if (r.headers.get('Content-Type') === 'application/wasm') throw error;
    source = await WebAssembly.instantiate(await r.arrayBuffer(), imports);
  }
  wasm = source.instance.exports;
  // The module's data, written before the module first runs (a fresh memory is zeros).
  const memory = new Uint8Array(wasm.m.buffer);
  let at = DATA_AT;
  for (const c of DATA) memory[at++] = c.charCodeAt(0);
  runner.defineElement(handle);
}
