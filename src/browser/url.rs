//! The absolute `http(s)` URLs the protocol checks, split by the runner (`urlParts` in
//! `js/element.js`, one regular expression of the grammar `src/protocol/uri.rs` spells out),
//! so the element's wasm build carries no URL parser. The browser tests hold the runner to
//! that grammar (`tests/url_parts.rs`).

use wasm_bindgen::prelude::*;

// The package's glue (`js/glue.js`) provides it from the runner's `urlParts`.
#[cfg(not(feature = "test-hooks"))]
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = urlParts)]
    fn url_parts(text: &str) -> f64;
}

// The browser tests load the module with wasm-bindgen's glue, which takes the runner's
// `urlParts` as it is.
#[cfg(feature = "test-hooks")]
#[wasm_bindgen(module = "/js/element.js")]
extern "C" {
    #[wasm_bindgen(js_name = urlParts)]
    fn url_parts(text: &str) -> f64;
}

/// Whether `text` is an absolute `http(s)` URL the protocol accepts, and where its parts end:
/// whether it is trusted, the end of its origin (without a port that is the scheme's
/// default) and the end of its authority.
pub fn parts(text: &str) -> Option<(bool, usize, usize)> {
    // Whole numbers below 2^53, so no digit is lost.
    let n = url_parts(text) as u64;
    if n == 0 {
        return None;
    }
    let authority_end = (n >> 4) as usize;
    Some((
        n & 1 == 1,
        authority_end.wrapping_sub((n >> 1 & 7) as usize),
        authority_end,
    ))
}
