/**
 * Resolves with the `<anypoint-signin>` constructor once the element is defined, or with
 * `undefined` where there is no DOM (server-side rendering). Rejects if the WebAssembly
 * module cannot be loaded, e.g. under a Content-Security-Policy without 'wasm-unsafe-eval'.
 */
export declare const ready: Promise<CustomElementConstructor | undefined>;
