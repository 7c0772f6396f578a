//! JSON through the browser's own `JSON.parse`, so the wasm build does not carry a JSON parser.

use js_sys::{Array, JSON, Object};
use wasm_bindgen::{JsCast, JsValue};

use crate::protocol::{Json, JsonDecoder};

/// Deepest nesting accepted: the documents read here are a level or two deep, and a bound
/// keeps a hostile server's `[[[[...]]]]` from exhausting the stack.
const MAX_DEPTH: u8 = 16;

/// Decodes with `JSON.parse` and copies the result into a [`Json`] value.
pub struct BrowserJson;

impl JsonDecoder for BrowserJson {
    fn parse(&self, text: &str) -> Result<Json, String> {
        let value = JSON::parse(text).map_err(|_| String::from("not valid JSON"))?;
        from_value(&value)
    }
}

/// Copies a value `JSON.parse` produced into a [`Json`] value.
pub fn from_value(value: &JsValue) -> Result<Json, String> {
    from_js(value, 0).ok_or_else(|| String::from("JSON nested too deeply"))
}

/// Copies a value `JSON.parse` produced; `None` when it nests deeper than [`MAX_DEPTH`].
fn from_js(value: &JsValue, depth: u8) -> Option<Json> {
    if let Some(s) = value.as_string() {
        return Some(Json::String(s));
    }
    if let Some(n) = value.as_f64() {
        return Some(Json::Number(n));
    }
    if let Some(b) = value.as_bool() {
        return Some(Json::Bool(b));
    }
    if value.is_null() || depth >= MAX_DEPTH {
        return value.is_null().then_some(Json::Null);
    }
    if let Some(items) = value.dyn_ref::<Array>() {
        return items
            .iter()
            .map(|item| from_js(&item, depth + 1))
            .collect::<Option<_>>()
            .map(Json::Array);
    }
    Object::entries(value.unchecked_ref())
        .iter()
        .map(|entry| {
            let pair: Array = entry.unchecked_into();
            let key = pair.get(0).as_string().unwrap_or_default();
            from_js(&pair.get(1), depth + 1).map(|v| (key, v))
        })
        .collect::<Option<_>>()
        .map(Json::Object)
}
