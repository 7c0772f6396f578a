//! JSON through the browser's own `JSON.parse` (`jsonTokens` in `js/element.js`), the
//! members a reader asks for handed over as tokens ([`Members::from_tokens`]), so the wasm
//! build carries no JSON parser.
// bench/protocol-size builds this file too, where there is no `test-hooks` feature: there
// it is the package's.
#![allow(unexpected_cfgs)]

use wasm_bindgen::prelude::*;

use crate::protocol::{JsonDecoder, Members};

// The package's glue (`js/glue.js`) provides these from the runner's `jsonTokens`, so that
// no string crosses as one wasm-bindgen hands over (and the module frees).
#[cfg(not(feature = "test-hooks"))]
#[wasm_bindgen]
extern "C" {
    /// Makes the runner's tokens of `text` (UTF-8) and the members `names` asks for, and
    /// returns their length: 0 when `JSON.parse` refused the text.
    #[wasm_bindgen(js_name = jsonTokens)]
    fn json_tokens(text: &str, names: &str) -> usize;
    /// Writes the tokens `jsonTokens` made last at `at`.
    #[wasm_bindgen(js_name = jsonTake)]
    fn json_take(at: usize);
}

// The browser tests load the module with wasm-bindgen's glue, which takes the runner's
// `jsonTokens` as it is.
#[cfg(feature = "test-hooks")]
#[wasm_bindgen(module = "/js/element.js")]
extern "C" {
    #[wasm_bindgen(js_name = jsonTokens)]
    fn json_text(text: &str, names: &str) -> String;
}

/// Decodes with `JSON.parse`.
pub struct BrowserJson;

impl JsonDecoder for BrowserJson {
    fn parse<'n>(&self, text: &str, names: &'n str) -> Members<'n> {
        #[cfg(not(feature = "test-hooks"))]
        let tokens = taken(json_tokens(text, names));
        #[cfg(feature = "test-hooks")]
        let tokens = json_text(text, names);
        Members::from_tokens(names, tokens)
    }
}

/// The text the glue kept last (the input, or `jsonTokens`' or `codedText`'s), `length`
/// bytes of UTF-8, written by `jsonTake` into a new string: made `length` bytes long first
/// (NUL bytes stand in until then), as the module's memory is the glue's to write, as the
/// strings wasm-bindgen passes are.
#[cfg(not(feature = "test-hooks"))]
pub(super) fn taken(length: usize) -> String {
    let mut text = String::new();
    for _ in 0..length {
        text.push('\0');
    }
    json_take(text.as_mut_str().as_mut_ptr() as usize);
    text
}
