//! Helpers shared by the unit tests.

use super::json::{JsonDecoder, MAX_DEPTH, Members};

#[path = "../../tests/support/xorshift.rs"]
mod xorshift;
use xorshift::xorshift;

/// A [`JsonDecoder`] backed by `serde_json`, which only tests may link; it writes the
/// tokens the browser's runner (`jsonTokens` in `js/element.js`) writes, its depth check
/// included.
pub(crate) struct SerdeJson;

impl JsonDecoder for SerdeJson {
    fn parse<'n>(&self, text: &str, names: &'n str) -> Members<'n> {
        Members::from_tokens(names, to_tokens(text, names))
    }
}

/// The tokens `jsonTokens` (`js/element.js`) writes of `text` and the members `names` asks
/// for (see [`Members::from_tokens`]), read with `serde_json`, which keeps the last of
/// repeated names as `JSON.parse` does, and writes JSON text as `JSON.stringify` does (but
/// for the order of names and the spelling of numbers).
pub(crate) fn to_tokens(text: &str, names: &str) -> String {
    use serde_json::Value;
    /// Whether `value` has an array or object `depth` levels down.
    fn deep(value: &Value, depth: u32) -> bool {
        let nested: Vec<&Value> = match value {
            Value::Array(items) => items.iter().collect(),
            Value::Object(members) => members.values().collect(),
            _ => return false,
        };
        depth < 1 || nested.into_iter().any(|v| deep(v, depth - 1))
    }
    /// A member's token (absent is `None`): an array's items when `items`.
    fn token(value: Option<&Value>, items: bool) -> String {
        match value {
            None | Some(Value::Null) => "n".into(),
            Some(Value::Bool(b)) => if *b { "t" } else { "f" }.into(),
            Some(Value::Number(n)) => format!("d{:x}", n.as_f64().unwrap_or(f64::NAN).to_bits()),
            Some(Value::String(s)) => format!("s{}", s.replace(['\u{1e}', '\u{1f}'], "\u{fffd}")),
            Some(Value::Array(list)) if items => list
                .iter()
                .map(|v| format!("\u{1e}{}", token(Some(v), false)))
                .fold(String::from("a"), |all, one| all + &one),
            Some(v) => format!("o{v}"),
        }
    }
    let Ok(value) = serde_json::from_str::<Value>(text) else {
        return String::new();
    };
    if deep(&value, MAX_DEPTH) {
        return "x".into();
    }
    let mut out = vec![value.to_string()];
    if let Value::Object(members) = &value {
        out.extend(
            names
                .split('\u{1f}')
                .map(|name| token(members.get(name), true)),
        );
    }
    out.join("\u{1f}")
}

/// A JSON object with these members in this order, each value given as JSON text; a name
/// may repeat (the last counts when read, as in `JSON.parse`).
pub(crate) fn object(members: &[(&str, &str)]) -> String {
    let members: Vec<String> = members
        .iter()
        .map(|(name, value)| format!("{}:{value}", serde_json::Value::from(*name)))
        .collect();
    format!("{{{}}}", members.join(","))
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
    let mut next = xorshift(0x2545_f491_4f6c_dd1d_u64);
    (0..5000).map(move |_| {
        let len = next() % 12;
        (0..len)
            .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
            .collect()
    })
}

/// Pins a document reader's type errors word for word. `read` reads a document's JSON text;
/// `valid` is a document `read` accepts; `typed` lists members in the order `read` reads them, each with the type its
/// error names and values of other types. Each wrong value of each member is refused as
/// "`name` is not `type`", and with every member from one on wrong at once (listed in
/// reverse), the error names the first that `read` reads.
pub(crate) fn assert_type_errors<T: std::fmt::Debug>(
    read: impl Fn(&str) -> Result<T, String>,
    valid: &[(&str, &str)],
    typed: &[(&str, &str, &[&str])],
) {
    assert!(read(&object(valid)).is_ok(), "{:?}", read(&object(valid)));
    for (name, what, wrong) in typed {
        for value in *wrong {
            let mut members = valid.to_vec();
            members.push((name, value));
            let error = read(&object(&members)).err();
            assert_eq!(
                error,
                Some([name, " is not ", what].concat()),
                "{name}: {value}"
            );
        }
    }
    for first in 0..typed.len() {
        let mut members = valid.to_vec();
        members.extend(
            typed[first..]
                .iter()
                .rev()
                .map(|(name, _, wrong)| (*name, wrong[0])),
        );
        let (name, what, _) = typed[first];
        let error = read(&object(&members)).err();
        assert_eq!(
            error,
            Some([name, " is not ", what].concat()),
            "from {name}"
        );
    }
}

/// Pins a document reader's errors for required members: `read` reads a document's JSON
/// text, `valid` is a document `read` accepts, `required` the members it must have, in the order `read` reads them. Each one
/// absent or `null` is refused as "`name` is not present", and with every member from one
/// on absent, the error names the first that `read` reads.
pub(crate) fn assert_required<T: std::fmt::Debug>(
    read: impl Fn(&str) -> Result<T, String>,
    valid: &[(&str, &str)],
    required: &[&str],
) {
    let present = |name: &str| Some([name, " is not present"].concat());
    for name in required {
        let without: Vec<_> = valid.iter().copied().filter(|(k, _)| k != name).collect();
        assert_eq!(
            read(&object(&without)).err(),
            present(name),
            "{name} absent"
        );
        let mut null = valid.to_vec();
        null.push((name, "null"));
        assert_eq!(read(&object(&null)).err(), present(name), "{name} null");
    }
    for first in 0..required.len() {
        let without: Vec<_> = valid
            .iter()
            .copied()
            .filter(|(k, _)| !required[first..].contains(k))
            .collect();
        let error = read(&object(&without)).err();
        assert_eq!(error, present(required[first]), "from {}", required[first]);
    }
}
