//! Form-urlencoded text encoded and decoded, JWT segments decoded, and JSON strings written,
//! by the browser's own codecs (the runner's `codedText` in `js/element.js`:
//! `URLSearchParams`, `atob`, `btoa`, `TextDecoder`, `JSON.stringify`), so the element's
//! wasm build carries no percent, base64, UTF-8 or JSON string codec. The protocol and the
//! flow call these in that build only ([`crate::protocol`]'s `stored` codec and the ID
//! token's segments, the events' details); native builds use their own code, held to the
//! same oracles natively as these are in a browser (`tests/text_codecs.rs`).

use wasm_bindgen::prelude::*;

// The package's glue (`js/glue.js`) provides it from the runner's `codedText`; the text it
// makes is written by `jsonTake`, as JSON tokens are.
#[cfg(not(feature = "test-hooks"))]
#[wasm_bindgen]
extern "C" {
    /// Makes the runner's coding of `text` (UTF-8) as `how` says, and returns its length.
    #[wasm_bindgen(js_name = codedText)]
    fn coded_text(text: &str, how: u32) -> usize;
}

// The browser tests load the module with wasm-bindgen's glue, which takes the runner's
// `codedText` as it is.
#[cfg(feature = "test-hooks")]
#[wasm_bindgen(module = "/js/element.js")]
extern "C" {
    #[wasm_bindgen(js_name = codedText)]
    fn coded_text(text: &str, how: u32) -> String;
}

/// The runner's coding of `text` as `how` says.
pub(super) fn coded(text: &str, how: u32) -> String {
    #[cfg(not(feature = "test-hooks"))]
    {
        super::json::taken(coded_text(text, how))
    }
    #[cfg(feature = "test-hooks")]
    coded_text(text, how)
}

/// A form-urlencoded name or value decoded as the URL Standard's parser does (`+` a space,
/// `%XX` a byte, ill-formed UTF-8 replaced by U+FFFD).
pub fn form(text: &str) -> String {
    coded(text, 0)
}

/// `text` form-urlencoded as the URL Standard's serializer does (ASCII letters, digits and
/// `*-._` kept, a space `+`, every other byte `%XX`).
pub fn form_encoded(text: &str) -> String {
    coded(text, 2)
}

/// `text` as a JSON string, quotes and escapes and all, as `JSON.stringify` writes it.
pub fn json_string(text: &str) -> String {
    coded(text, 3)
}

/// The text of a JWT segment: unpadded base64url without unused bits set, of UTF-8; else
/// `Err(false)` when it is not base64url and `Err(true)` when it is not UTF-8.
pub fn segment(text: &str) -> Result<String, bool> {
    let mut out = coded(text, 1);
    match out.as_bytes() {
        [.., b'.'] => {
            out.truncate(out.len() - 1);
            Ok(out)
        }
        other => Err(other == b"u"),
    }
}
