//! JSON through the browser's own `JSON.parse`, so the wasm build does not carry a JSON parser.

use crate::protocol::JsonDecoder;

/// Decodes with `JSON.parse` and maps the result onto serde types.
pub struct BrowserJson;

impl JsonDecoder for BrowserJson {
    fn decode<T: serde::de::DeserializeOwned>(&self, text: &str) -> Result<T, String> {
        let value = js_sys::JSON::parse(text).map_err(|_| "not valid JSON".to_string())?;
        serde_wasm_bindgen::from_value(value).map_err(|e| e.to_string())
    }
}
