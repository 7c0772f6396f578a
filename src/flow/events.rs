//! The DOM events the element fires, with their `detail` as JSON text (the runner parses it
//! once and dispatches; it never looks inside).

use crate::protocol::SigninError;

/// Fired after a completed sign-in; detail: the tokens, the ID token's claims, the user.
pub const SUCCESS: &str = "anypoint-signin-success";
/// Fired for every failure; detail: `{code, description, cause}`.
pub const ERROR: &str = "anypoint-signin-error";
/// Fired after the access token was renewed; detail: the new tokens.
pub const TOKEN_REFRESHED: &str = "anypoint-signin-token-refreshed";
/// Fired after sign-out.
pub const SIGNOUT: &str = "anypoint-signin-signout";
/// Fired on the element only, cancelable, with the code and the PKCE verifier, so the
/// page can exchange the code itself (`detail.respondWith(promise)`).
pub const CODE: &str = "anypoint-signin-code";
/// Fired, cancelable, just before navigating to the authorization server; detail: `{url}`.
pub const REDIRECT: &str = "anypoint-signin-redirect";

/// A JSON object built member by member; values are JSON text.
pub struct Detail(String);

impl Detail {
    /// `{}`.
    pub fn new() -> Self {
        Detail(String::from("{"))
    }

    /// Adds `name` with `json`, a JSON value's text.
    pub fn raw(&mut self, name: &str, json: &str) -> &mut Self {
        self.name(name);
        self.0.push_str(json);
        self
    }

    /// Adds `name` with a string, or `null`.
    pub fn string(&mut self, name: &str, value: Option<&str>) -> &mut Self {
        self.name(name);
        match value {
            Some(v) => quote_into(&mut self.0, v),
            None => self.0.push_str("null"),
        }
        self
    }

    /// Starts the member `name`.
    fn name(&mut self, name: &str) {
        if self.0.len() > 1 {
            self.0.push(',');
        }
        quote_into(&mut self.0, name);
        self.0.push(':');
    }

    /// `text` as a JSON string.
    pub fn quoted(text: &str) -> String {
        json_text(text)
    }

    /// The object's text (a copy: the builder keeps it).
    pub fn finish(&mut self) -> String {
        self.0.push('}');
        self.0.clone()
    }
}

impl Default for Detail {
    fn default() -> Self {
        Self::new()
    }
}

/// Appends `text` as a JSON string (RFC 8259 §7).
fn quote_into(out: &mut String, text: &str) {
    out.push_str(&json_text(text));
}

/// `text` as a JSON string (RFC 8259 §7). The element's wasm build has the browser write
/// it (`JSON.stringify`), and carries no escaping of its own.
#[cfg(all(target_arch = "wasm32", feature = "element"))]
fn json_text(text: &str) -> String {
    crate::browser::text::json_string(text)
}

/// `text` as a JSON string (RFC 8259 §7).
#[cfg(not(all(target_arch = "wasm32", feature = "element")))]
fn json_text(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::from('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 15] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The `detail` of an error event.
pub fn error_detail(error: &SigninError) -> String {
    Detail::new()
        .string("code", Some(error.code_str()))
        .string("description", Some(&error.description))
        .string("cause", error.cause.as_deref())
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::ErrorCode;

    #[test]
    fn details_are_json() {
        let e =
            SigninError::new(ErrorCode::TokenError, "a \"quoted\"\n\\ line\u{1}").with_cause("x");
        let text = error_detail(&e);
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["code"], "token_error");
        assert_eq!(v["description"], "a \"quoted\"\n\\ line\u{1}");
        assert_eq!(v["cause"], "x");
        let empty = Detail::new().finish();
        assert_eq!(empty, "{}");
    }

    #[test]
    fn finish_hands_out_a_copy() {
        // The builder keeps its text: each caller drops it once finished.
        let mut detail = Detail::new();
        detail.raw("n", "1");
        assert_eq!(detail.finish(), r#"{"n":1}"#);
        assert_eq!(detail.0, r#"{"n":1}"#);
    }
}
