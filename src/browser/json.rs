//! JSON through the browser's own `JSON.parse` (`jsonTokens` in `js/element.js`), handed over as tokens
//! ([`Json::from_tokens`]), so the wasm build carries no JSON parser.
// bench/protocol-size builds this file too, where there is no `test-hooks` feature: there
// it is the package's.
#![allow(unexpected_cfgs)]

use wasm_bindgen::prelude::*;

use crate::protocol::{Json, JsonDecoder, MAX_DEPTH};

// The package's glue (`js/glue.js`) provides these from the runner's `jsonTokens`, so that
// no string crosses as one wasm-bindgen hands over (and the module frees).
#[cfg(not(feature = "test-hooks"))]
#[wasm_bindgen]
extern "C" {
    /// Makes the runner's tokens of `text` (UTF-8), nested at most `depth` levels, and
    /// returns their length: 0 when `JSON.parse` refused the text.
    #[wasm_bindgen(js_name = jsonTokens)]
    fn json_tokens(text: &str, depth: u32) -> usize;
    /// Writes the tokens `jsonTokens` made last at `at`.
    #[wasm_bindgen(js_name = jsonTake)]
    pub(super) fn json_take(at: usize);
}

// The browser tests load the module with wasm-bindgen's glue, which takes the runner's
// `jsonTokens` as it is.
#[cfg(feature = "test-hooks")]
#[wasm_bindgen(module = "/js/element.js")]
extern "C" {
    #[wasm_bindgen(js_name = jsonTokens)]
    fn json_text(text: &str, depth: u32) -> String;
}

/// Decodes with `JSON.parse`.
pub struct BrowserJson;

impl JsonDecoder for BrowserJson {
    fn parse<'a>(&self, text: &str, tokens: &'a mut String) -> Result<Json<'a>, String> {
        #[cfg(not(feature = "test-hooks"))]
        json_take(room(tokens, json_tokens(text, MAX_DEPTH)));
        #[cfg(feature = "test-hooks")]
        {
            *tokens = json_text(text, MAX_DEPTH);
        }
        // Empty when `JSON.parse` refused the text: any JSON value is at least one token.
        if tokens.is_empty() {
            return Err(String::from("not valid JSON"));
        }
        Json::from_tokens(tokens)
    }
}

/// Makes `text` `length` bytes long and returns their address, for the glue to write that
/// many bytes of UTF-8 there (the module's memory is the glue's to write, as the strings
/// wasm-bindgen passes are; NUL bytes stand in until then).
pub fn room(text: &mut String, length: usize) -> usize {
    text.clear();
    for _ in 0..length {
        text.push('\0');
    }
    text.as_mut_str().as_mut_ptr() as usize
}
