//! JSON parsing supplied by the caller, so the browser build can use `JSON.parse` instead of
//! linking a JSON parser into the wasm binary.

use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use std::fmt;

/// Turns JSON text (RFC 8259) into a serde type.
pub trait JsonDecoder {
    /// Parses `text` into a `T`, or describes why it could not.
    fn decode<T: DeserializeOwned>(&self, text: &str) -> Result<T, String>;
}

/// A count of seconds (`expires_in`, `exp`, `iat`, `auth_time`).
///
/// JavaScript numbers are all floating point, so whole floats are accepted; RFC 7519 §2
/// NumericDate allows fractions, which are rounded down.
struct Seconds {
    /// Some token endpoints send `expires_in` as a string of digits.
    allow_str: bool,
}

impl Visitor<'_> for Seconds {
    type Value = u64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a non-negative number of seconds")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<u64, E> {
        Ok(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<u64, E> {
        u64::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<u64, E> {
        // 2^64 as f64: anything at or above it would saturate silently.
        if (0.0..18_446_744_073_709_551_616.0).contains(&v) {
            Ok(v as u64)
        } else {
            Err(E::invalid_value(de::Unexpected::Float(v), &self))
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<u64, E> {
        match v.parse() {
            Ok(n) if self.allow_str => Ok(n),
            _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
        }
    }
}

/// A required [`Seconds`] number.
pub(crate) fn seconds<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    d.deserialize_any(Seconds { allow_str: false })
}

/// An optional [`Seconds`] number (use with `#[serde(default)]`); `null` counts as absent.
pub(crate) fn opt_seconds<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    d.deserialize_option(OptSeconds { allow_str: false })
}

/// An optional [`Seconds`] number that may also arrive as a string of digits.
pub(crate) fn opt_seconds_lenient<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<u64>, D::Error> {
    d.deserialize_option(OptSeconds { allow_str: true })
}

struct OptSeconds {
    allow_str: bool,
}

impl<'de> Visitor<'de> for OptSeconds {
    type Value = Option<u64>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a non-negative number of seconds or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(Seconds {
            allow_str: self.allow_str,
        })
        .map(Some)
    }
}

#[cfg(test)]
mod tests {
    use crate::protocol::test_support::SerdeJson;

    use super::JsonDecoder;

    #[derive(serde::Deserialize)]
    struct Probe {
        #[serde(deserialize_with = "super::seconds")]
        exp: u64,
        #[serde(default, deserialize_with = "super::opt_seconds")]
        iat: Option<u64>,
        #[serde(default, deserialize_with = "super::opt_seconds_lenient")]
        expires_in: Option<u64>,
    }

    fn probe(text: &str) -> Result<Probe, String> {
        SerdeJson.decode(text)
    }

    #[test]
    fn accepts_integers_and_floats() {
        let p = probe(r#"{"exp": 1700000000.0, "iat": 1699999999, "expires_in": 3600}"#).unwrap();
        assert_eq!(p.exp, 1_700_000_000);
        assert_eq!(p.iat, Some(1_699_999_999));
        assert_eq!(p.expires_in, Some(3600));
        assert_eq!(probe(r#"{"exp": 10.9}"#).unwrap().exp, 10);
    }

    #[test]
    fn absent_and_null_are_none() {
        let p = probe(r#"{"exp": 1, "iat": null}"#).unwrap();
        assert_eq!(p.iat, None);
        assert_eq!(p.expires_in, None);
    }

    #[test]
    fn strings_only_where_lenient() {
        assert_eq!(
            probe(r#"{"exp": 1, "expires_in": "3600"}"#)
                .unwrap()
                .expires_in,
            Some(3600)
        );
        assert!(probe(r#"{"exp": "1"}"#).is_err());
        assert!(probe(r#"{"exp": 1, "iat": "1"}"#).is_err());
        assert!(probe(r#"{"exp": 1, "expires_in": "soon"}"#).is_err());
    }

    #[test]
    fn rejects_negative_and_missing() {
        assert!(probe(r#"{"exp": -1}"#).is_err());
        assert!(probe(r#"{"exp": -1.5}"#).is_err());
        assert!(probe(r#"{"exp": 1e30}"#).is_err());
        assert!(probe(r#"{}"#).is_err());
    }
}
