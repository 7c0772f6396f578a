//! The configuration's texts read by the runner (`configText` in `js/element.js`), so the
//! element's wasm build carries no reader of them: the absolute `http(s)` URLs the protocol
//! checks, split by one regular expression of the grammar `src/protocol/uri.rs` spells out,
//! and the scope list. The browser tests hold the runner to that grammar
//! (`tests/url_parts.rs`).

use wasm_bindgen::prelude::*;

// The package's glue (`js/glue.js`) provides it from the runner's `configText`; the text it
// makes is written by `jsonTake`, as JSON tokens are.
#[cfg(not(feature = "test-hooks"))]
#[wasm_bindgen]
extern "C" {
    /// Makes the runner's reading of `text` (UTF-8) as `how` says, and returns its length.
    #[wasm_bindgen(js_name = configText)]
    fn config_text(text: &str, how: u32) -> usize;
}

// The browser tests load the module with wasm-bindgen's glue, which takes the runner's
// `configText` as it is.
#[cfg(feature = "test-hooks")]
#[wasm_bindgen(module = "/js/element.js")]
extern "C" {
    #[wasm_bindgen(js_name = configText)]
    fn config_text(text: &str, how: u32) -> String;
}

/// The runner's reading of `text` as `how` says.
fn read(text: &str, how: u32) -> String {
    #[cfg(not(feature = "test-hooks"))]
    {
        super::json::taken(config_text(text, how))
    }
    #[cfg(feature = "test-hooks")]
    config_text(text, how)
}

/// Whether `text` is an absolute `http(s)` URL the protocol accepts, and where its parts end:
/// whether it is trusted, the end of its origin (without a port that is the scheme's
/// default) and the end of its authority.
pub fn parts(text: &str) -> Option<(bool, usize, usize)> {
    // Empty, which is no number, when it is not one.
    let n = crate::protocol::decimal::number(&read(text, 0), 10)?;
    let authority_end = (n >> 4) as usize;
    Some((
        n & 1 == 1,
        authority_end.wrapping_sub((n >> 1 & 7) as usize),
        authority_end,
    ))
}

/// The scopes of the space-separated list `text` (RFC 6749 §3.3): its pieces between ASCII
/// white space, the first of duplicates, joined by single spaces; empty when it has none.
pub fn scopes(text: &str) -> String {
    read(text, 1)
}
