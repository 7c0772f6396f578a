//! Browser glue: the `<anypoint-signin>` element and its thin wrappers around the DOM,
//! `sessionStorage`, `fetch` and WebCrypto. Protocol decisions live in [`crate::protocol`].

mod callback;
mod crypto;
mod discovery;
mod element;
mod events;
mod exchange;
mod http;
mod json;
mod popup;
mod profile;
mod render;
mod session;
mod signature;
mod signin;
mod storage;
mod tokens;

use std::rc::Rc;

pub use element::ElementCore;

use wasm_bindgen::prelude::*;

/// Runs when the module is instantiated: defines the `<anypoint-signin>` custom element.
#[wasm_bindgen(start)]
pub fn start() {
    define();
}

/// Defines the `<anypoint-signin>` custom element; later calls do nothing.
pub fn define() {
    element::define();
}

/// Forgets the discovery documents and key sets fetched so far, so that the next sign-in
/// fetches them again: the browser tests plan a fault for one fetch at a time.
#[cfg(feature = "test-hooks")]
pub fn forget_caches() {
    discovery::forget();
    signature::forget();
}

/// The browser's `window`; the element is only ever constructed inside one.
fn window() -> web_sys::Window {
    web_sys::window().expect_throw("<anypoint-signin> runs in a browser window")
}

/// Seconds since the Unix epoch, from the browser's clock.
fn now_secs() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
}

// The caches below hold one entry per issuer, so they are lists searched in order: a
// `HashMap` would link a hasher and its table, a few KB of wasm.

/// The value kept under `key` in a small cache of pairs.
fn cached<T>(cache: &[(String, Rc<T>)], key: &str) -> Option<Rc<T>> {
    cache.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
}

/// Keeps `value` under `key` in a small cache of pairs, replacing what `key` held.
fn remember<T>(cache: &mut Vec<(String, Rc<T>)>, key: &str, value: &Rc<T>) {
    match cache.iter_mut().find(|(k, _)| k == key) {
        Some((_, old)) => *old = value.clone(),
        None => cache.push((key.to_owned(), value.clone())),
    }
}
