// The JavaScript side of the WebAssembly module's interface, shipped as anypoint_signin.js in
// place of the glue wasm-bindgen generates: the package needs only `handle` (a string in, a
// string out, `src/browser/mod.rs`, for the runner js/element.js, which the entry hands over),
// the module's one import (the runner's `jsonTokens`) and the module instantiated from the
// response the entry fetched (the module holds no JS value, so wasm-bindgen's table of them
// and its start function that fills it are left out of it). scripts/build-pkg.sh writes in
// this build's import name, once it has checked against wasm-bindgen's glue that the module
// asks for nothing else and passes strings the same way.

/** The module's exports, once instantiated. @type {any} */
let wasm;

/** `text` as UTF-8 in the module's memory (which owns it from then on): address and length. */
function put(/** @type {string} */ text) {
  const bytes = new TextEncoder().encode(text);
  const at = wasm.__wbindgen_malloc(bytes.length, 1) >>> 0;
  new Uint8Array(wasm.memory.buffer).set(bytes, at);
  return [at, bytes.length];
}

/** The UTF-8 text at `at` in the module's memory. A decoder per text: Safari's fails once
 * one decoder has decoded 2 GB. */
function get(/** @type {number} */ at, /** @type {number} */ length) {
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(new Uint8Array(wasm.memory.buffer, at >>> 0, length));
}

/** The machine: the effects of one input at `now` (`handle` in `src/browser/mod.rs`). */
function handle(/** @type {string} */ input, /** @type {number} */ now) {
  const [at, length] = wasm.handle(...put(input), now);
  const effects = get(at, length);
  wasm.__wbindgen_free(at, length, 1);
  return effects;
}

/**
 * Instantiates the module from `response`, the entry's fetch of anypoint_signin_bg.wasm
 * (compiled while it downloads; read whole when the server does not call it application/wasm),
 * with the `jsonTokens` of `runner` (js/element.js), and hands the runner the machine, which
 * hands it the inputs that waited for it.
 * @param {Promise<Response>} response
 * @param {{jsonTokens: (text: string, depth: number) => string, defineElement: (machine: typeof handle) => void}} runner
 */
export async function init(response, runner) {
  const imports = {
    './anypoint_signin_bg.js': {
      /** `jsonTokens` of the text at `at`; the tokens' address and length go to `out` (a
       * 4-aligned pair of i32, little-endian as wasm is; read the memory after `put`, which
       * may grow it). */
      __wbg_jsonTokens(/** @type {number} */ out, /** @type {number} */ at, /** @type {number} */ length, /** @type {number} */ depth) {
        const tokens = put(runner.jsonTokens(get(at, length), depth));
        new Int32Array(wasm.memory.buffer, out >>> 0, 2).set(tokens);
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
  runner.defineElement(handle);
}
