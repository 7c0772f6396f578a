//! JSON through the browser's own `JSON.parse` (`jsonTokens` in `js/element.js`), handed over as tokens
//! ([`Json::from_tokens`]), so the wasm build carries no JSON parser.

use wasm_bindgen::prelude::*;

use crate::protocol::{Json, JsonDecoder, MAX_DEPTH};

#[wasm_bindgen(module = "/js/element.js")]
extern "C" {
    #[wasm_bindgen(js_name = jsonTokens)]
    fn json_tokens(text: &str, depth: u32) -> String;
}

/// Decodes with `JSON.parse`.
pub struct BrowserJson;

impl JsonDecoder for BrowserJson {
    fn parse<'a>(&self, text: &str, tokens: &'a mut String) -> Result<Json<'a>, String> {
        *tokens = json_tokens(text, MAX_DEPTH);
        // Empty when `JSON.parse` refused the text: any JSON value is at least one token.
        if tokens.is_empty() {
            return Err(String::from("not valid JSON"));
        }
        Json::from_tokens(tokens)
    }
}
