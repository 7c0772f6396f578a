//! Request parameters: form-encoded (RFC 6749 §3.2) or, as MuleSoft's own examples send
//! them, a JSON object.

use std::collections::BTreeMap;

use axum::http::{HeaderMap, header};
use serde_json::Value;

use crate::oauth::error::OAuthError;

/// Parameters of one request, each at most once.
#[derive(Debug, Default)]
pub(crate) struct Params(BTreeMap<String, String>);

impl Params {
    /// A parameter's value; an empty value counts as absent (RFC 6749 §3.1).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// A parameter that must be present: its value, or `invalid_request` saying
    /// "`name` is required".
    pub fn require(&self, name: &str) -> Result<&str, OAuthError> {
        self.get(name)
            .ok_or_else(|| OAuthError::invalid_request(format!("{name} is required")))
    }

    /// From name/value pairs; a repeated parameter is an error (RFC 6749 §3.1, §3.2).
    pub fn from_pairs<I, K, V>(pairs: I) -> Result<Self, String>
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let mut map = BTreeMap::new();
        for (name, value) in pairs {
            let name = name.into();
            if map.insert(name.clone(), value.into()).is_some() {
                return Err(format!("parameter {name} is repeated"));
            }
        }
        Ok(Params(map))
    }

    /// From a URL query string.
    pub fn from_query(query: Option<&str>) -> Result<Self, String> {
        Self::from_pairs(form_urlencoded::parse(query.unwrap_or("").as_bytes()))
    }

    /// From a request body, by its content type.
    pub fn from_body(headers: &HeaderMap, body: &[u8]) -> Result<Self, OAuthError> {
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                v.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            });
        match content_type.as_deref() {
            Some("application/x-www-form-urlencoded") => {
                Self::from_pairs(form_urlencoded::parse(body)).map_err(OAuthError::invalid_request)
            }
            Some("application/json") => {
                let value: Value = serde_json::from_slice(body)
                    .map_err(|e| OAuthError::invalid_request(format!("body is not JSON: {e}")))?;
                let Value::Object(object) = value else {
                    return Err(OAuthError::invalid_request("JSON body must be an object"));
                };
                let mut pairs = Vec::with_capacity(object.len());
                for (name, value) in object {
                    let text = match value {
                        Value::String(s) => s,
                        Value::Number(n) => n.to_string(),
                        Value::Bool(b) => b.to_string(),
                        Value::Null => continue,
                        Value::Array(_) | Value::Object(_) => {
                            return Err(OAuthError::invalid_request(format!(
                                "parameter {name} must be a string"
                            )));
                        }
                    };
                    pairs.push((name, text));
                }
                Self::from_pairs(pairs).map_err(OAuthError::invalid_request)
            }
            None if body.is_empty() => Ok(Params::default()),
            _ => Err(OAuthError::invalid_request(
                "send parameters as application/x-www-form-urlencoded or application/json",
            )),
        }
    }
}
