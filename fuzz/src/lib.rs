//! What the fuzz targets share: the JSON decoders the browser's `JSON.parse` (and the
//! runner's picking of members) stands in for, and the properties every parser must keep
//! (known error codes, no token in an error).

#![forbid(unsafe_code)]

use anypoint_signin::protocol::{ErrorCode, JsonDecoder, Members, SigninError};
use arbitrary::Arbitrary;
use serde_json::Value;

/// Deepest nesting the browser's decoder accepts ([`anypoint_signin::protocol::MAX_DEPTH`]):
/// natively the same limit applies, so the targets see what the element sees.
pub const MAX_DEPTH: usize = anypoint_signin::protocol::MAX_DEPTH as usize;

/// JSON text to the members a reader asks for through serde_json, written as the browser's
/// runner (`jsonTokens` in `js/element.js`) writes them, its depth check included.
///
/// serde_json differs from `JSON.parse` in a few corners (numbers beyond `f64`, lone
/// surrogates); the [`ArbitraryJson`] values reach those, and repeated member names.
pub struct SerdeJson;

impl JsonDecoder for SerdeJson {
    fn parse<'n>(&self, text: &str, names: &'n str) -> Members<'n> {
        let tokens = match serde_json::from_str::<Value>(text) {
            Ok(value) => ArbitraryJson::from_value(&value).tokens(names),
            // No tokens: not JSON.
            Err(_) => String::new(),
        };
        Members::from_tokens(names, tokens)
    }
}

/// A decoder that answers the text [`Fixed::TEXT`] with the members of one given value,
/// so a parser's member-by-member reading can be fed any [`ArbitraryJson`] value, not only
/// what serde_json makes; any other text (the JSON text of an object inside the value, read
/// in turn) it reads as [`SerdeJson`] does.
pub struct Fixed(pub ArbitraryJson);

impl Fixed {
    /// The text the decoder answers with its value: no JSON text the runner writes of an
    /// object is this.
    pub const TEXT: &str = "fixed";
}

impl JsonDecoder for Fixed {
    fn parse<'n>(&self, text: &str, names: &'n str) -> Members<'n> {
        if text == Self::TEXT {
            Members::from_tokens(names, self.0.tokens(names))
        } else {
            SerdeJson.parse(text, names)
        }
    }
}

/// A JSON value made by `arbitrary`: what the browser's bridge can hand over and
/// serde_json cannot, such as repeated member names, infinities and `-0`.
#[derive(Arbitrary, Clone, Debug)]
pub enum ArbitraryJson {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// Any `f64`, NaN and infinities included.
    Number(f64),
    /// A number picked from the boundaries a count of seconds cares about.
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

/// Numbers at the edges of the range of a count of seconds (`Kind::Seconds`).
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
    /// The number.
    pub fn value(self) -> f64 {
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
pub const MEMBERS: [&str; 48] = [
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
    "crit",
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

/// A string as the runner writes it: both separators replaced.
fn clean(s: &str) -> String {
    s.replace(['\u{1e}', '\u{1f}'], "\u{fffd}")
}

impl ArbitraryJson {
    /// The value serde_json read.
    pub fn from_value(value: &Value) -> Self {
        match value {
            Value::Null => Self::Null,
            Value::Bool(b) => Self::Bool(*b),
            Value::Number(n) => Self::Number(n.as_f64().unwrap_or(f64::NAN)),
            Value::String(s) => Self::String(s.clone()),
            Value::Array(items) => Self::Array(items.iter().map(Self::from_value).collect()),
            Value::Object(members) => Self::Object(
                members
                    .iter()
                    .map(|(k, v)| (Key::Other(k.clone()), Self::from_value(v)))
                    .collect(),
            ),
        }
    }

    /// This value as `JSON.parse` would hold it, for its JSON text: of repeated names the
    /// last counts, and a number that is not finite is `null` (as `JSON.stringify` writes
    /// it).
    pub fn to_value(&self) -> Value {
        match self {
            Self::Null => Value::Null,
            Self::Bool(b) => Value::Bool(*b),
            Self::Number(n) => serde_json::Number::from_f64(*n).map_or(Value::Null, Value::Number),
            Self::Edge(e) => Self::Number(e.value()).to_value(),
            Self::String(s) => Value::String(s.clone()),
            Self::Name(m) => Value::String(m.name().into()),
            Self::Array(items) => Value::Array(items.iter().map(Self::to_value).collect()),
            Self::Object(members) => Value::Object(
                members
                    .iter()
                    .map(|(k, v)| (k.name().to_owned(), v.to_value()))
                    .collect(),
            ),
        }
    }

    /// The member `name` as `JSON.parse` keeps it (the last of that name), when this is an
    /// object that has one.
    pub fn member(&self, name: &str) -> Option<&Self> {
        match self {
            Self::Object(members) => members
                .iter()
                .rev()
                .find(|(k, _)| k.name() == name)
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// Whether this value has an array or object `depth` levels down.
    pub fn deep(&self, depth: usize) -> bool {
        let nested: Vec<&Self> = match self {
            Self::Array(items) => items.iter().collect(),
            Self::Object(members) => members.iter().map(|(_, v)| v).collect(),
            _ => return false,
        };
        depth < 1 || nested.into_iter().any(|v| v.deep(depth - 1))
    }

    /// The tokens the runner writes of this value and the members `names` asks for
    /// (separated by U+001F), for [`Members::from_tokens`]: `x` when it nests deeper than
    /// [`MAX_DEPTH`], else its JSON text, then, for an object, each member's token.
    pub fn tokens(&self, names: &str) -> String {
        if self.deep(MAX_DEPTH) {
            return "x".into();
        }
        let mut out = vec![self.to_value().to_string()];
        if let Self::Object(_) = self {
            out.extend(
                names
                    .split('\u{1f}')
                    .map(|name| token(self.member(name), true)),
            );
        }
        out.join("\u{1f}")
    }
}

impl Key {
    /// The name.
    pub fn name(&self) -> &str {
        match self {
            Key::Known(m) => m.name(),
            Key::Other(s) => s,
        }
    }
}

/// The token the runner writes of a member (absent is `None`): an array's items when
/// `items`, else an array or object as its JSON text.
pub fn token(value: Option<&ArbitraryJson>, items: bool) -> String {
    match value {
        None | Some(ArbitraryJson::Null) => "n".into(),
        Some(ArbitraryJson::Bool(b)) => if *b { "t" } else { "f" }.into(),
        Some(ArbitraryJson::Number(n)) => format!("d{:x}", n.to_bits()),
        Some(ArbitraryJson::Edge(e)) => format!("d{:x}", e.value().to_bits()),
        Some(ArbitraryJson::String(s)) => format!("s{}", clean(s)),
        Some(ArbitraryJson::Name(m)) => format!("s{}", clean(m.name())),
        Some(ArbitraryJson::Array(list)) if items => list
            .iter()
            .map(|v| format!("\u{1e}{}", token(Some(v), false)))
            .fold(String::from("a"), |all, one| all + &one),
        Some(v) => format!("o{}", v.to_value()),
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
/// named in `secret_members`, which are the secrets themselves, as the runner writes them.
pub fn public_strings(value: &Value, secret_members: &[&str], out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(clean(s)),
        Value::Array(items) => items
            .iter()
            .for_each(|v| public_strings(v, secret_members, out)),
        Value::Object(members) => {
            for (k, v) in members {
                out.push(clean(k));
                if !secret_members.contains(&k.as_str()) {
                    public_strings(v, secret_members, out);
                }
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// The string values of the members named `name`, at any depth.
pub fn strings_named<'a>(value: &'a Value, name: &str, out: &mut Vec<&'a str>) {
    match value {
        Value::Array(items) => items.iter().for_each(|v| strings_named(v, name, out)),
        Value::Object(members) => {
            for (k, v) in members {
                match v {
                    Value::String(s) if k == name => out.push(s),
                    _ => strings_named(v, name, out),
                }
            }
        }
        _ => {}
    }
}
