//! Helpers shared by the unit tests.

use super::json::JsonDecoder;

/// A [`JsonDecoder`] backed by `serde_json`, which only tests may link.
pub(crate) struct SerdeJson;

impl JsonDecoder for SerdeJson {
    fn decode<T: serde::de::DeserializeOwned>(&self, text: &str) -> Result<T, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
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
