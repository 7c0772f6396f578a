// <anypoint-signin>: load this module once per page and the element is defined.
//
//   <script type="module" src="/node_modules/anypoint-signin/anypoint-signin.js"></script>
//   <anypoint-signin clientid="..." redirecturi="..."></anypoint-signin>
//
// The WebAssembly module is fetched from next to this file, so the page's
// Content-Security-Policy needs 'wasm-unsafe-eval' in script-src.
//
// `ready` resolves with the element's constructor once it is defined (undefined where
// there is no DOM, e.g. server-side rendering) and rejects if the module cannot load.

// The runner (js/element.js) has these same lines, and uses these when it is in this module.
const TAG = 'anypoint-signin';
/** Where the package's entry puts the loaders of the other languages' modules, keyed by
 * language (the entry knows where the package's files are; the runner, loaded on its own by
 * the browser tests, does not). */
const LOADERS = Symbol.for('anypoint-signin.languages');

/**
 * Fires `anypoint-signin-error` at each of `targets`: its detail the `code` and
 * `description` of `what`, and the message of `error` as its `cause`.
 * @param {Iterable<EventTarget>} targets
 * @param {{code: string, description: string}} what
 * @param {any} error
 */
function reportError(targets, what, error) {
  for (const target of targets) {
    target.dispatchEvent(new CustomEvent('anypoint-signin-error', {
      bubbles: true,
      composed: true,
      detail: { ...what, cause: String(error?.message || error) },
    }));
  }
}

// The languages besides English, each a module of its own that is fetched only when an
// element on the page speaks it. The imports are written out so that bundlers emit each
// as a chunk of its own; the element finds them under this symbol.
const LANGUAGES = {
  es: () => import('./lang/es.js'),
  fr: () => import('./lang/fr.js'),
  de: () => import('./lang/de.js'),
  ja: () => import('./lang/ja.js'),
  'pt-BR': () => import('./lang/pt-BR.js'),
  'zh-CN': () => import('./lang/zh-CN.js'),
};

function fail(error) {
  const csp = /unsafe-eval|Content.Security.Policy/i.test(error?.message);
  const description = csp
    ? "<anypoint-signin> could not start: the page's Content-Security-Policy must allow 'wasm-unsafe-eval' in script-src."
    : '<anypoint-signin> could not load its WebAssembly module.';
  // Elements that never upgrade cannot report anything themselves.
  const targets = document.querySelectorAll(TAG);
  reportError(targets.length ? targets : [document], { code: 'load_failed', description }, error);
  throw new Error(description, { cause: error });
}

async function load() {
  // Where there is no DOM, nothing below runs: the glue this module carries touches no
  // browser global before its init.
  if (typeof customElements === 'undefined') return undefined;
  const existing = customElements.get(TAG);
  if (existing) return existing; // another copy of the package got here first
  globalThis[LOADERS] ||= LANGUAGES;
  // The .wasm download starts now, in parallel with the runner.
  const wasm = fetch(new URL('./anypoint_signin_bg.wasm', import.meta.url));
  wasm.catch(() => {}); // reported through init below
  // The runner (js/element.js, which defines the element as soon as it runs):
  // scripts/build-pkg.sh appends it to this module and asks for it here (or, with
  // GLUE=wasm-bindgen, writes in its path). It gets the machine once the glue's init
  // (js/glue.js, which build-pkg.sh appends to this module too) has instantiated the
  // module, and stops (its buttons disabled) if that fails.
  return import(/* runner */)
    .then((runner) => init(wasm, runner).catch((error) => {
      runner.stop();
      throw error;
    }))
    .then(() => customElements.whenDefined(TAG), fail);
}

export const ready = load();
