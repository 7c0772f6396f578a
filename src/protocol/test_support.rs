//! Helpers shared by the unit tests.

use super::json::{Json, JsonDecoder, MAX_DEPTH};

/// A [`JsonDecoder`] backed by `serde_json`, which only tests may link; it writes the
/// tokens the browser's runner (`jsonTokens` in `js/element.js`) writes, nesting included.
pub(crate) struct SerdeJson;

impl JsonDecoder for SerdeJson {
    fn parse<'a>(&self, text: &str, tokens: &'a mut String) -> Result<Json<'a>, String> {
        *tokens = to_tokens(text)?;
        Json::from_tokens(tokens)
    }
}

/// The tokens `jsonTokens` (`js/element.js`) writes of `text`, read with `serde_json`,
/// which writes the JSON text of arrays and objects as `JSON.stringify` does (but for the
/// order of names and the spelling of numbers).
fn to_tokens(text: &str) -> Result<String, String> {
    fn write(v: &serde_json::Value, out: &mut Vec<String>, depth: u32) {
        use serde_json::Value;
        match v {
            Value::Null => out.push("n".into()),
            Value::Bool(b) => out.push(if *b { "t" } else { "f" }.into()),
            Value::Number(n) => {
                out.push(format!("d{:x}", n.as_f64().unwrap_or(f64::NAN).to_bits()));
            }
            Value::String(s) => {
                out.push(format!("s{}", s.replace(['\u{1e}', '\u{1f}'], "\u{fffd}")))
            }
            _ if depth < 1 => out.push("x".into()),
            Value::Array(items) => {
                out.push(format!("a{}", items.len()));
                items.iter().for_each(|v| write(v, out, depth - 1));
                out.push(v.to_string());
            }
            Value::Object(map) => {
                out.push(format!("o{}", map.len()));
                for (k, m) in map {
                    write(&Value::String(k.clone()), out, depth);
                    write(m, out, depth - 1);
                }
                out.push(v.to_string());
            }
        }
    }
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    write(&value, &mut out, MAX_DEPTH);
    Ok(out.join("\u{1f}"))
}

/// `text` read with [`SerdeJson`], its tokens kept for the rest of the test.
pub(crate) fn parsed(text: &str) -> Result<Json<'static>, String> {
    Json::from_tokens(to_tokens(text)?.leak())
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

/// A JSON object with these members in this order, each value given as JSON text; a name
/// may repeat (the last wins when read). Its own JSON text is left empty.
pub(crate) fn object(members: &[(&str, &str)]) -> Json<'static> {
    let mut tokens = vec![format!("o{}", members.len())];
    for (name, value) in members {
        tokens.push(format!("s{name}"));
        tokens.push(to_tokens(value).unwrap());
    }
    // Its JSON text, which no reader of a document looks at.
    tokens.push(String::new());
    Json::from_tokens(tokens.join("\u{1f}").leak()).unwrap()
}

/// A JSON value with its arrays and objects read out in full, to compare whole values.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Tree {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Tree>),
    Object(Vec<(String, Tree)>),
}

/// `value` read out in full: every item and member, in document order.
pub(crate) fn tree(value: Json) -> Tree {
    match value {
        Json::Null => Tree::Null,
        Json::Bool(b) => Tree::Bool(b),
        Json::Number(n) => Tree::Number(n),
        Json::String(s) => Tree::String(s.into()),
        Json::Array(items) => Tree::Array(items.map(|(_, v)| tree(v)).collect()),
        Json::Object(members) => Tree::Object(members.map(|(k, v)| (k.into(), tree(v))).collect()),
    }
}

/// Pins a document reader's type errors word for word. `valid` is a document `read`
/// accepts; `typed` lists members in the order `read` reads them, each with the type its
/// error names and values of other types. Each wrong value of each member is refused as
/// "`name` is not `type`", and with every member from one on wrong at once (listed in
/// reverse), the error names the first that `read` reads.
pub(crate) fn assert_type_errors<T: std::fmt::Debug>(
    read: impl Fn(&Json) -> Result<T, String>,
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

/// Pins a document reader's errors for required members: `valid` is a document `read`
/// accepts, `required` the members it must have, in the order `read` reads them. Each one
/// absent or `null` is refused as "`name` is not present", and with every member from one
/// on absent, the error names the first that `read` reads.
pub(crate) fn assert_required<T: std::fmt::Debug>(
    read: impl Fn(&Json) -> Result<T, String>,
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
