//! What the fuzz targets share: the JSON decoders the browser's `JSON.parse` stands in for,
//! and the properties every parser must keep (known error codes, no token in an error).

#![forbid(unsafe_code)]

use anypoint_signin::protocol::{ErrorCode, Json, JsonDecoder, SigninError};
use arbitrary::Arbitrary;

/// Deepest nesting the browser's decoder accepts ([`anypoint_signin::protocol::MAX_DEPTH`]):
/// natively the same limit applies, so the targets see what the element sees.
pub const MAX_DEPTH: usize = anypoint_signin::protocol::MAX_DEPTH as usize;

/// The tokens the browser's runner (`jsonTokens` in `js/element.js`) makes of `value`, for
/// [`Json::from_tokens`]: written here the way the runner writes them.
pub fn to_tokens(value: &Json<'_>) -> String {
    fn write(value: Json<'_>, out: &mut Vec<String>) {
        match value {
            Json::Null => out.push("n".into()),
            Json::Bool(b) => out.push(if b { "t" } else { "f" }.into()),
            Json::Number(n) => out.push(format!("d{:x}", n.to_bits())),
            Json::String(s) => {
                out.push(format!("s{}", s.replace(['\u{1e}', '\u{1f}'], "\u{fffd}")))
            }
            Json::Array(items) => {
                out.push(format!("a{}", items.count()));
                items.for_each(|(_, v)| write(v, out));
                out.push(items.json().into());
            }
            Json::Object(members) => {
                out.push(format!("o{}", members.count()));
                for (name, v) in members {
                    write(Json::String(name), out);
                    write(v, out);
                }
                out.push(members.json().into());
            }
        }
    }
    let mut out = Vec::new();
    write(*value, &mut out);
    out.join("\u{1f}")
}

/// JSON text to [`Json`] through serde_json, with the browser decoder's depth limit and
/// its error for deeper documents.
///
/// serde_json differs from `JSON.parse` in a few corners (numbers beyond `f64`, lone
/// surrogates, repeated names in an object); the [`ArbitraryJson`] values reach those.
pub struct SerdeJson;

impl JsonDecoder for SerdeJson {
    fn parse<'a>(&self, text: &str, tokens: &'a mut String) -> Result<Json<'a>, String> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        if !write_tokens(&value, &mut out, 0) {
            return Err("JSON nested too deeply".into());
        }
        *tokens = out.join("\u{1f}");
        Json::from_tokens(tokens)
    }
}

/// Appends the tokens of `value` at `depth` to `out`, as the runner writes them; `false`
/// when it nests deeper than [`MAX_DEPTH`].
fn write_tokens(value: &serde_json::Value, out: &mut Vec<String>, depth: usize) -> bool {
    use serde_json::Value;
    match value {
        Value::Null => out.push("n".into()),
        Value::Bool(b) => out.push(if *b { "t" } else { "f" }.into()),
        Value::Number(n) => out.push(format!("d{:x}", n.as_f64().unwrap_or(f64::NAN).to_bits())),
        Value::String(s) => out.push(format!("s{}", s.replace(['\u{1e}', '\u{1f}'], "\u{fffd}"))),
        _ if depth >= MAX_DEPTH => return false,
        Value::Array(items) => {
            out.push(format!("a{}", items.len()));
            if !items.iter().all(|v| write_tokens(v, out, depth + 1)) {
                return false;
            }
        }
        Value::Object(map) => {
            out.push(format!("o{}", map.len()));
            if !map.iter().all(|(k, v)| {
                write_tokens(&Value::String(k.clone()), out, depth)
                    && write_tokens(v, out, depth + 1)
            }) {
                return false;
            }
        }
    }
    // An array's or object's JSON text, as `JSON.stringify` writes it but for the order of
    // names and the spelling of numbers.
    if value.is_array() || value.is_object() {
        out.push(value.to_string());
    }
    true
}

/// A decoder that ignores the text and answers with the tokens of one given value, so a
/// parser's field-by-field reading can be fed any [`Json`] value, not only what serde_json
/// makes.
pub struct Fixed(pub String);

impl Fixed {
    /// A decoder that answers with `value`.
    pub fn new(value: &Json<'_>) -> Self {
        Self(to_tokens(value))
    }
}

impl JsonDecoder for Fixed {
    fn parse<'a>(&self, _text: &str, tokens: &'a mut String) -> Result<Json<'a>, String> {
        tokens.clone_from(&self.0);
        Json::from_tokens(tokens)
    }
}

/// A [`Json`] value made by `arbitrary`: what the browser's bridge can hand over and
/// serde_json cannot, such as repeated member names, infinities and `-0`.
#[derive(Arbitrary, Clone, Debug)]
pub enum ArbitraryJson {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// Any `f64`, NaN and infinities included.
    Number(f64),
    /// A number picked from the boundaries `opt_seconds` cares about.
    Edge(EdgeNumber),
    /// A string.
    String(String),
    /// One of the member names the parsers read, as a string value.
    Name(Member),
    /// An array.
    Array(Vec<ArbitraryJson>),
    /// An object; member names may repeat.
    Object(Vec<(Key, ArbitraryJson)>),
}

/// A member name: mostly one the parsers read, so objects hit their fields.
#[derive(Arbitrary, Clone, Debug)]
pub enum Key {
    /// A name some parser reads.
    Known(Member),
    /// Any other name.
    Other(String),
}

/// Numbers at the edges of `Fields::opt_seconds`'s range.
#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum EdgeNumber {
    /// `-0.0`.
    NegativeZero,
    /// Just below zero.
    BelowZero,
    /// 2^64, the first value that would saturate.
    TwoToThe64,
    /// The largest `f64` below 2^64.
    BelowTwoToThe64,
    /// `u64::MAX` seconds as a float (rounds to 2^64).
    U64Max,
    /// Half a second.
    Half,
}

impl EdgeNumber {
    fn value(self) -> f64 {
        match self {
            Self::NegativeZero => -0.0,
            Self::BelowZero => -f64::MIN_POSITIVE,
            Self::TwoToThe64 => 18_446_744_073_709_551_616.0,
            Self::BelowTwoToThe64 => 18_446_744_073_709_549_568.0,
            Self::U64Max => u64::MAX as f64,
            Self::Half => 0.5,
        }
    }
}

/// Every member name that a parser of the core reads.
pub const MEMBERS: [&str; 47] = [
    "access_token",
    "token_type",
    "expires_in",
    "refresh_token",
    "scope",
    "id_token",
    "error",
    "error_description",
    "error_uri",
    "issuer",
    "authorization_endpoint",
    "token_endpoint",
    "userinfo_endpoint",
    "jwks_uri",
    "revocation_endpoint",
    "end_session_endpoint",
    "introspection_endpoint",
    "scopes_supported",
    "response_types_supported",
    "grant_types_supported",
    "code_challenge_methods_supported",
    "id_token_signing_alg_values_supported",
    "authorization_response_iss_parameter_supported",
    "keys",
    "kty",
    "kid",
    "alg",
    "use",
    "n",
    "e",
    "crv",
    "x",
    "y",
    "typ",
    "iss",
    "sub",
    "aud",
    "exp",
    "iat",
    "nonce",
    "azp",
    "auth_time",
    "name",
    "given_name",
    "family_name",
    "preferred_username",
    "email",
];

/// An index into [`MEMBERS`].
#[derive(Clone, Copy, Debug)]
pub struct Member(pub usize);

impl<'a> Arbitrary<'a> for Member {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        u.choose_index(MEMBERS.len()).map(Member)
    }
}

impl Member {
    /// The name.
    pub fn name(self) -> &'static str {
        MEMBERS[self.0]
    }
}

impl ArbitraryJson {
    /// The tokens the runner writes of this value (see [`to_tokens`]), for
    /// [`Json::from_tokens`], cut at the browser decoder's depth (deeper parts become
    /// `null`), with empty JSON texts (no parser reads them).
    pub fn tokens(&self) -> String {
        let mut out = Vec::new();
        self.write(0, &mut out);
        out.join("\u{1f}")
    }

    fn write(&self, depth: usize, out: &mut Vec<String>) {
        let string = |s: &str| format!("s{}", s.replace(['\u{1e}', '\u{1f}'], "\u{fffd}"));
        match self {
            Self::Null => out.push("n".into()),
            Self::Bool(b) => out.push(if *b { "t" } else { "f" }.into()),
            Self::Number(n) => out.push(format!("d{:x}", n.to_bits())),
            Self::Edge(e) => out.push(format!("d{:x}", e.value().to_bits())),
            Self::String(s) => out.push(string(s)),
            Self::Name(m) => out.push(string(m.name())),
            _ if depth >= MAX_DEPTH => out.push("n".into()),
            Self::Array(items) => {
                out.push(format!("a{}", items.len()));
                items.iter().for_each(|v| v.write(depth + 1, out));
                out.push(String::new());
            }
            Self::Object(members) => {
                out.push(format!("o{}", members.len()));
                for (k, v) in members {
                    let k = match k {
                        Key::Known(m) => m.name(),
                        Key::Other(s) => s.as_str(),
                    };
                    out.push(string(k));
                    v.write(depth + 1, out);
                }
                out.push(String::new());
            }
        }
    }
}

/// Panics unless `error`'s code is one of `known`: each parser documents the codes it
/// gives, and the element's pages branch on them.
pub fn assert_code(error: &SigninError, known: &[ErrorCode]) {
    assert!(
        known.contains(&error.code),
        "unexpected error code {} (expected one of {known:?}): {}",
        error.code,
        error.description
    );
}

/// Characters that no message of the core contains: a secret with one of them can only
/// appear in an error by being copied there from the input.
const MARKERS: [char; 5] = ['^', '|', '$', '*', '!'];

/// Whether `secret` is distinctive enough that finding it in an error message means it was
/// copied there: at least 8 bytes, with a character no message template contains.
pub fn is_marked(secret: &str) -> bool {
    secret.len() >= 8 && secret.contains(MARKERS)
}

/// Panics if `error` (description or cause) contains `secret`, for a marked secret (see
/// [`is_marked`]) that is not also part of a value the error may quote (`public`).
pub fn assert_not_echoed(error: &SigninError, secret: &str, public: &[&str]) {
    assert_not_in(&error.description, secret, public, "error description");
    let cause = error.cause.as_deref().unwrap_or_default();
    assert_not_in(cause, secret, public, "error cause");
}

/// Panics if `text` contains `secret` (a marked one, see [`is_marked`]) once the values it
/// may quote (`public`) are blanked out: a secret that straddles a quoted value and the
/// message around it was not copied from the input.
pub fn assert_not_in(text: &str, secret: &str, public: &[&str], what: &str) {
    if !is_marked(secret) || public.iter().any(|p| p.contains(secret)) {
        return;
    }
    let blanked = public
        .iter()
        .filter(|p| !p.is_empty())
        .fold(text.to_owned(), |text, p| text.replace(p, "\0"));
    assert!(
        !blanked.contains(secret),
        "a token is echoed in the {what}: {text}"
    );
}

/// Every string of `value` (member names and string values) except those of the members
/// named in `secret_members`, which are the secrets themselves.
pub fn public_strings<'a>(value: &Json<'a>, secret_members: &[&str], out: &mut Vec<&'a str>) {
    match *value {
        Json::String(s) => out.push(s),
        Json::Array(items) => items.for_each(|(_, v)| public_strings(&v, secret_members, out)),
        Json::Object(members) => {
            for (k, v) in members {
                out.push(k);
                if !secret_members.contains(&k) {
                    public_strings(&v, secret_members, out);
                }
            }
        }
        Json::Null | Json::Bool(_) | Json::Number(_) => {}
    }
}

/// The string values of the members named `name`, at any depth.
pub fn strings_named<'a>(value: &Json<'a>, name: &str, out: &mut Vec<&'a str>) {
    match *value {
        Json::Array(items) => items.for_each(|(_, v)| strings_named(&v, name, out)),
        Json::Object(members) => {
            for (k, v) in members {
                match v {
                    Json::String(s) if k == name => out.push(s),
                    _ => strings_named(&v, name, out),
                }
            }
        }
        _ => {}
    }
}
