//! Helpers shared by the unit tests.

use super::json::JsonDecoder;

/// A [`JsonDecoder`] backed by `serde_json`, which only tests may link.
pub(crate) struct SerdeJson;

impl JsonDecoder for SerdeJson {
    fn decode<T: serde::de::DeserializeOwned>(&self, text: &str) -> Result<T, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }
}
