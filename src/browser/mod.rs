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

/// The browser's `window`; the element is only ever constructed inside one.
fn window() -> web_sys::Window {
    web_sys::window().expect_throw("<anypoint-signin> runs in a browser window")
}

/// Seconds since the Unix epoch, from the browser's clock.
fn now_secs() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
}
