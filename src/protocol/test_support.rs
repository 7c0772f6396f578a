//! Helpers shared by the unit tests.

use super::json::{Json, JsonDecoder};

/// A [`JsonDecoder`] backed by `serde_json`, which only tests may link.
pub(crate) struct SerdeJson;

impl JsonDecoder for SerdeJson {
    fn parse(&self, text: &str) -> Result<Json, String> {
        fn convert(v: serde_json::Value) -> Json {
            use serde_json::Value;
            match v {
                Value::Null => Json::Null,
                Value::Bool(b) => Json::Bool(b),
                Value::Number(n) => Json::Number(n.as_f64().unwrap_or(f64::NAN)),
                Value::String(s) => Json::String(s),
                Value::Array(items) => Json::Array(items.into_iter().map(convert).collect()),
                Value::Object(map) => {
                    Json::Object(map.into_iter().map(|(k, v)| (k, convert(v))).collect())
                }
            }
        }
        serde_json::from_str(text)
            .map(convert)
            .map_err(|e| e.to_string())
    }
}

/// A compact JWS with the given header and payload JSON and a dummy signature.
pub(crate) fn jwt(header: &str, payload: &str) -> String {
    use super::base64url::encode;
    format!(
        "{}.{}.{}",
        encode(header.as_bytes()),
        encode(payload.as_bytes()),
        encode(b"signature")
    )
}

/// Deterministic pseudo-random strings built from the characters parsers split on, to check
/// that no input makes a parser panic.
pub(crate) fn arbitrary_strings() -> impl Iterator<Item = String> {
    const PIECES: [&str; 24] = [
        ".", "=", "&", "%", "%2", "%C3", ":", "/", "//", "?", "#", "[", "]", "@", "+", "é", "a",
        "Z", "0", "-", "_", "code", "state", "https://",
    ];
    // xorshift64: reproducible without a random-number crate.
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    (0..5000).map(move |_| {
        let len = next() % 12;
        (0..len)
            .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
            .collect()
    })
}
