//! JSON values (RFC 8259) parsed by the caller, so the browser build can use `JSON.parse`
//! instead of linking a JSON parser, and read here without a serialization framework: each
//! document names its members and their kinds in a table, and one reader
//! ([`Fields::read`]) checks them all. A value borrows its strings, member names and
//! items from the caller's tokens ([`Json::from_tokens`]): an array or an object is kept
//! as its tokens and read in turn ([`Items`]), so reading a document allocates nothing,
//! and each document's reader copies out only the members it keeps.

use super::decimal::number;
use super::text::{Pieces, fill, pieces};

/// Largest provider document read (discovery, JWK Set), in bytes: real ones are a few KB,
/// and a larger one is refused before it is parsed.
pub const MAX_DOCUMENT_BYTES: usize = 100_000;

/// Deepest nesting of arrays and objects read: the documents read here are a level or two
/// deep, and a bound keeps a hostile server's `[[[[...]]]]` from exhausting the stack.
pub const MAX_DEPTH: u32 = 16;

/// Turns JSON text (RFC 8259) into a [`Json`] value.
pub trait JsonDecoder {
    /// Parses `text` into a value whose strings are slices of `tokens`, which receives the
    /// value's tokens (see [`Json::from_tokens`]); or describes why it could not.
    fn parse<'a>(&self, text: &str, tokens: &'a mut String) -> Result<Json<'a>, String>;
}

/// A parsed JSON value (RFC 8259 §3), its strings and items borrowed from the tokens it
/// was read from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Json<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as JavaScript holds it.
    Number(f64),
    /// A string.
    String(&'a str),
    /// An array: its items, each with an empty name.
    Array(Items<'a>),
    /// An object: its members and their names, in document order (RFC 8259 §4).
    Object(Items<'a>),
}

/// The items of an array or the members of an object, kept as their tokens and read one
/// after the other, each as `(name, value)`; an array's items have empty names. The tokens
/// were checked when the value was read ([`Json::from_tokens`]), so reading them again
/// cannot fail.
#[derive(Clone, Copy)]
pub struct Items<'a> {
    /// The tokens from the next item on.
    tokens: &'a str,
    /// Twice the number of items left, plus one for an object's members.
    left: u32,
}

impl<'a> Iterator for Items<'a> {
    type Item = (&'a str, Json<'a>);

    fn next(&mut self) -> Option<(&'a str, Json<'a>)> {
        if self.left < 2 {
            return None;
        }
        self.left -= 2;
        let mut tokens = pieces(self.tokens, 0x1f);
        let mut name = "";
        if self.left & 1 == 1 {
            // An `s` token, checked when the value was read.
            name = &tokens.next().unwrap_or_default()[1..];
        }
        // The tokens were checked when the value was read, so there is never an error
        // here; forgotten rather than dropped, the branch that cannot run needs no drop.
        let value = match read_token(&mut tokens, MAX_DEPTH) {
            Ok(value) => value,
            Err(e) => {
                core::mem::forget(e);
                Json::Null
            }
        };
        self.tokens = tokens.rest();
        Some((name, value))
    }
}

impl<'a> Items<'a> {
    /// The array's or object's JSON text, the token after its items: as the runner writes
    /// it, `JSON.stringify` of what `JSON.parse` read (the last of repeated names, no
    /// space), for handing a part of a document on whole.
    pub fn json(&self) -> &'a str {
        let mut rest = *self;
        for _ in &mut rest {}
        pieces(rest.tokens, 0x1f).next().unwrap_or_default()
    }
}

/// Items are equal when they are equal one by one, wherever their tokens are.
impl PartialEq for Items<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.left == other.left && self.zip(*other).all(|(a, b)| a == b)
    }
}

/// Items show as a list: an object's as `(name, value)` pairs.
impl core::fmt::Debug for Items<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_list().entries(*self).finish()
    }
}

/// The members of a JSON object, read by name.
///
/// A member that is `null` counts as absent, as it does for optional OAuth and OpenID
/// Connect parameters. Errors name the member and the expected type, never its value,
/// because values may be tokens.
#[derive(Clone, Copy, Debug)]
pub struct Fields<'a>(pub(crate) Items<'a>);

impl<'a> Json<'a> {
    /// The members, when this is an object.
    pub fn fields(&self) -> Result<Fields<'a>, String> {
        match self {
            Json::Object(members) => Ok(Fields(*members)),
            _ => Err(NOT_AN_OBJECT.into()),
        }
    }

    /// The members, when this is an object: [`Json::fields`] without its error.
    pub fn object(self) -> Option<Fields<'a>> {
        match self {
            Json::Object(members) => Some(Fields(members)),
            _ => None,
        }
    }

    /// The members `table` names, when this is an object: [`Fields::read`] on
    /// [`Json::fields`], for the readers that need nothing else of the object.
    pub fn read(
        &self,
        table: &[(&str, Kind)],
        values: &mut [Option<Json<'a>>],
    ) -> Result<(), String> {
        match *self {
            Json::Object(members) => Fields(members).read(table, values),
            _ => Err(NOT_AN_OBJECT.into()),
        }
    }

    /// The text, when this is a string.
    pub fn as_str(self) -> Option<&'a str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// Reads a value from the tokens the browser's runner (`jsonTokens` in `js/element.js`)
    /// makes of what `JSON.parse` returned, so the browser build needs no JSON parser of its
    /// own.
    ///
    /// Tokens are separated by U+001F (which strings never contain: the runner replaces it
    /// and U+001E with U+FFFD); each is a kind and its text: `n` null, `t` true, `f` false,
    /// `d` and a number's IEEE 754 bits in hexadecimal, `s` and a string, `a` and an
    /// array's length followed by its items, `o` and an object's member count followed by
    /// each member's name (an `s` token) and value, each of the two then followed by its
    /// JSON text ([`Items::json`], in which JSON escapes both separators), and `x` for an
    /// array or object nested deeper than [`MAX_DEPTH`]. Strings, member names and items
    /// are slices of `tokens`, every one of which is checked here.
    #[expect(
        clippy::question_mark,
        reason = "`?` moves the value read through `Try::branch`, which costs code here"
    )]
    pub fn from_tokens(tokens: &'a str) -> Result<Json<'a>, String> {
        let mut tokens = pieces(tokens, 0x1f);
        let value = match read_token(&mut tokens, MAX_DEPTH) {
            Ok(value) => value,
            Err(e) => return Err(e),
        };
        if tokens.next().is_some() {
            return Err(malformed_tokens());
        }
        Ok(value)
    }
}

/// The error of a document, or a member, that should be an object and is not.
pub(crate) const NOT_AN_OBJECT: &str = "not a JSON object";

fn malformed_tokens() -> String {
    String::from("malformed JSON tokens")
}

/// The value whose first token is next, its tokens checked and passed over; arrays and
/// objects at most `depth` levels deep.
#[expect(
    clippy::question_mark,
    reason = "`?` moves the value read through `Try::branch`, which costs code here"
)]
fn read_token<'a>(tokens: &mut Pieces<'a>, depth: u32) -> Result<Json<'a>, String> {
    let token = tokens.next().unwrap_or_default();
    // The kind is the token's first byte, compared as a byte; every kind is ASCII, so the
    // text after a known kind is the token from its second byte.
    let (kind, text) = match token.as_bytes() {
        [first, ..] if first.is_ascii() => (*first, &token[1..]),
        _ => (0, ""),
    };
    // Each kind is compared once, in the match below, which checks the depth too.
    let too_deep = || String::from("JSON nested too deeply");
    Ok(match kind {
        b'n' => Json::Null,
        b't' => Json::Bool(true),
        b'f' => Json::Bool(false),
        b'd' => match number(text, 16) {
            Some(bits) => Json::Number(f64::from_bits(bits)),
            None => return Err(malformed_tokens()),
        },
        b's' => Json::String(text),
        b'x' => return Err(too_deep()),
        b'a' | b'o' => {
            if depth == 0 {
                return Err(too_deep());
            }
            // A count of 2^31 or more is as malformed as one of 2^32: no text in memory
            // holds that many tokens.
            let count = match number(text, 10) {
                Some(n) if n < 1 << 31 => n as u32,
                _ => return Err(malformed_tokens()),
            };
            // One loop checks both: an object's member has a name first, a string token.
            let object = kind == b'o';
            let items = Items {
                tokens: tokens.rest(),
                left: count * 2 + u32::from(object),
            };
            for _ in 0..count {
                if object {
                    let Some([b's', ..]) = tokens.next().map(str::as_bytes) else {
                        return Err(malformed_tokens());
                    };
                }
                if let Err(e) = read_token(tokens, depth - 1) {
                    return Err(e);
                }
            }
            // The JSON text, which any text may be.
            tokens.next();
            if object {
                Json::Object(items)
            } else {
                Json::Array(items)
            }
        }
        _ => return Err(malformed_tokens()),
    })
}

/// `"name is not <what>"`.
fn not(name: &str, what: &str) -> String {
    fill("\u{1} is not \u{1}", &[name, what])
}

/// What a member read by [`Fields::read`] must be when it is present (not absent or
/// `null`), and whether it must be present.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A string (read with [`text`]).
    Str,
    /// A string that must be present.
    RequiredStr,
    /// `true` or `false` (read with [`flag`]).
    Bool,
    /// An array of strings (read with [`texts`]).
    Strings,
    /// A count of seconds (`exp`, `iat`, `auth_time`; read with [`seconds`]): a number from
    /// 0 up to, not including, 2^64. JavaScript numbers are all floating point, so whole
    /// floats are accepted; RFC 7519 §2 NumericDate allows fractions, which are rounded
    /// down.
    Seconds,
    /// A count of seconds that must be present.
    RequiredSeconds,
    /// A count of seconds, or a string of digits as some token endpoints send
    /// `expires_in`; a string that is not one is quoted in the error, since it cannot be a
    /// token.
    SecondsOrDigits,
}

/// 2^64 as f64: a number of seconds at or above it would saturate silently.
const SECONDS_END: f64 = 18_446_744_073_709_551_616.0;

/// The text of a member [`Fields::read`] found to be a string ([`Kind::Str`]).
pub fn text(value: Option<Json>) -> Option<String> {
    match value {
        Some(Json::String(s)) => Some(String::from(s)),
        _ => None,
    }
}

/// The text of a member [`Fields::read`] found to be a string, or empty when absent.
pub fn text_or_empty(value: Option<Json>) -> String {
    text(value).unwrap_or_default()
}

/// The strings of a member [`Fields::read`] found to be an array of strings
/// ([`Kind::Strings`]).
pub fn texts(value: Option<Json>) -> Option<Vec<String>> {
    match value {
        Some(Json::Array(items)) => {
            let mut texts = Vec::new();
            for (_, item) in items {
                if let Json::String(s) = item {
                    texts.push(String::from(s));
                }
            }
            Some(texts)
        }
        _ => None,
    }
}

/// Whether a member [`Fields::read`] found to be `true` or `false` ([`Kind::Bool`]) is
/// `true`; absent is `false`.
pub fn flag(value: Option<Json>) -> bool {
    matches!(value, Some(Json::Bool(true)))
}

/// The count of a member [`Fields::read`] found to be seconds ([`Kind::Seconds`] and the
/// like), rounded down.
pub fn seconds(value: Option<Json>) -> Option<u64> {
    match value {
        Some(Json::Number(n)) => Some(n as u64),
        Some(Json::String(s)) => number(s, 10),
        _ => None,
    }
}

impl<'a> Fields<'a> {
    /// The member `name`, unless it is absent or `null`. Of repeated names the last wins,
    /// as in `JSON.parse`.
    pub fn get(&self, name: &str) -> Option<Json<'a>> {
        let mut found = Json::Null;
        for (k, v) in self.0 {
            if k == name {
                found = v;
            }
        }
        match found {
            Json::Null => None,
            v => Some(v),
        }
    }

    /// The members and their names, in document order.
    pub fn members(&self) -> Items<'a> {
        self.0
    }

    /// Reads the members `table` names into `values` (one for each row: the member, or
    /// `None` when it is absent or `null`), in the table's order, each checked against its
    /// [`Kind`]. The first member that is missing or of the wrong type gives the error,
    /// which names it and what it should be ("`name` is not a string", "... present"),
    /// never its value. Convert the values with [`text`], [`texts`], [`flag`] and
    /// [`seconds`]. One copy of the checks serves every table.
    pub fn read(
        &self,
        table: &[(&str, Kind)],
        values: &mut [Option<Json<'a>>],
    ) -> Result<(), String> {
        for (&(name, kind), slot) in table.iter().zip(values) {
            *slot = self.get(name);
            let what = match (kind, *slot) {
                (Kind::RequiredStr | Kind::RequiredSeconds, None) => "present",
                (_, None) => continue,
                (Kind::Str | Kind::RequiredStr, Some(Json::String(_))) => continue,
                (Kind::Str | Kind::RequiredStr, _) => "a string",
                (Kind::Bool, Some(Json::Bool(_))) => continue,
                (Kind::Bool, _) => "true or false",
                (Kind::Strings, Some(Json::Array(items)))
                    if { items }.all(|(_, v)| matches!(v, Json::String(_))) =>
                {
                    continue;
                }
                (Kind::Strings, _) => "an array of strings",
                (_, Some(Json::Number(n))) if (0.0..SECONDS_END).contains(&n) => continue,
                (Kind::SecondsOrDigits, Some(Json::String(s))) => {
                    if number(s, 10).is_some() {
                        continue;
                    }
                    return Err(fill(
                        "\u{1} is not a number of seconds: \"\u{1}\"",
                        &[name, s],
                    ));
                }
                _ => "a non-negative number of seconds",
            };
            return Err(not(name, what));
        }
        Ok(())
    }

    /// The member `name` read as `kind` (see [`Fields::read`]).
    fn one(&self, name: &str, kind: Kind) -> Result<Option<Json<'a>>, String> {
        let mut value = [None];
        self.read(&[(name, kind)], &mut value)?;
        Ok(value[0])
    }

    /// An optional string member.
    pub fn opt_str(&self, name: &str) -> Result<Option<String>, String> {
        self.one(name, Kind::Str).map(text)
    }

    /// A required string member.
    pub fn str(&self, name: &str) -> Result<String, String> {
        self.one(name, Kind::RequiredStr).map(text_or_empty)
    }

    /// An optional boolean member.
    pub fn opt_bool(&self, name: &str) -> Result<Option<bool>, String> {
        self.one(name, Kind::Bool)
            .map(|value| value.map(|_| flag(value)))
    }

    /// An optional array of strings.
    pub fn opt_strings(&self, name: &str) -> Result<Option<Vec<String>>, String> {
        self.one(name, Kind::Strings).map(texts)
    }

    /// An optional count of seconds (`expires_in`, `exp`, `iat`, `auth_time`): see
    /// [`Kind::Seconds`], and with `allow_str` [`Kind::SecondsOrDigits`].
    pub fn opt_seconds(&self, name: &str, allow_str: bool) -> Result<Option<u64>, String> {
        let kind = if allow_str {
            Kind::SecondsOrDigits
        } else {
            Kind::Seconds
        };
        self.one(name, kind).map(seconds)
    }

    /// A required count of seconds; see [`Kind::Seconds`].
    pub fn seconds(&self, name: &str) -> Result<u64, String> {
        self.one(name, Kind::RequiredSeconds)
            .map(|value| seconds(value).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::{Json, Kind, MAX_DEPTH, flag, seconds, text, texts};
    use crate::protocol::test_support::{Tree, parsed, tree};

    fn parse(text: &str) -> Json<'static> {
        parsed(text).unwrap()
    }

    #[test]
    fn accepts_integers_and_floats() {
        let v = parse(r#"{"exp": 1700000000.0, "iat": 1699999999, "expires_in": 3600}"#);
        let f = v.fields().unwrap();
        assert_eq!(f.seconds("exp"), Ok(1_700_000_000));
        assert_eq!(f.opt_seconds("iat", false), Ok(Some(1_699_999_999)));
        assert_eq!(f.opt_seconds("expires_in", true), Ok(Some(3600)));
        let v = parse(r#"{"exp": 10.9}"#);
        assert_eq!(v.fields().unwrap().seconds("exp"), Ok(10));
    }

    #[test]
    fn absent_and_null_are_none() {
        let v = parse(r#"{"exp": 1, "iat": null, "name": null}"#);
        let f = v.fields().unwrap();
        assert_eq!(f.opt_seconds("iat", false), Ok(None));
        assert_eq!(f.opt_seconds("expires_in", true), Ok(None));
        assert_eq!(f.opt_str("name"), Ok(None));
        assert_eq!(f.str("name"), Err("name is not present".into()));
    }

    #[test]
    fn strings_only_where_lenient() {
        let v = parse(r#"{"exp": "1", "expires_in": "3600", "bad": "soon"}"#);
        let f = v.fields().unwrap();
        assert_eq!(f.opt_seconds("expires_in", true), Ok(Some(3600)));
        assert!(f.seconds("exp").is_err());
        let e = f.opt_seconds("bad", true).unwrap_err();
        assert!(e.contains("\"soon\""), "{e}");
    }

    #[test]
    fn rejects_negative_huge_and_missing() {
        for text in [
            r#"{"exp": -1}"#,
            r#"{"exp": -1.5}"#,
            r#"{"exp": 1e30}"#,
            r#"{}"#,
        ] {
            assert!(
                parse(text).fields().unwrap().seconds("exp").is_err(),
                "{text}"
            );
        }
    }

    #[test]
    fn wrong_types_name_the_member_but_not_the_value() {
        let v = parse(r#"{"a": 1, "b": ["x", 2], "c": "yes", "d": {"x": 1}}"#);
        let f = v.fields().unwrap();
        assert_eq!(f.opt_str("a"), Err("a is not a string".into()));
        assert_eq!(
            f.opt_strings("b"),
            Err("b is not an array of strings".into())
        );
        assert_eq!(f.opt_bool("c"), Err("c is not true or false".into()));
        assert!(f.opt_str("d").is_err());
        assert_eq!(parse("[1]").fields().unwrap_err(), "not a JSON object");
        assert!(parse("[1]").object().is_none() && parse("\"a\"").object().is_none());
        let members = parse(r#"{"a": "b"}"#).object().unwrap();
        assert_eq!(members.get("a"), Some(Json::String("b")));
    }

    #[test]
    fn a_table_reads_each_member_in_its_order() {
        let v = parse(r#"{"b": ["x"], "a": "A", "n": null, "t": true, "s": "60"}"#);
        let f = v.fields().unwrap();
        let table = [
            ("a", Kind::RequiredStr),
            ("b", Kind::Strings),
            ("n", Kind::Str),
            ("t", Kind::Bool),
            ("s", Kind::SecondsOrDigits),
            ("gone", Kind::Seconds),
        ];
        let mut values = [None; 6];
        assert_eq!(f.read(&table, &mut values), Ok(()));
        let [a, b, n, t, s, gone] = values;
        assert_eq!(text(a), Some("A".into()));
        assert_eq!(texts(b), Some(vec!["x".into()]));
        assert_eq!((text(n), n), (None, None));
        assert!(flag(t) && !flag(n));
        assert_eq!((seconds(s), seconds(gone)), (Some(60), None));
        // The first wrong member in the table's order is named, whatever the document's.
        let wrong = [
            ("t", Kind::Str),
            ("b", Kind::Bool),
            ("gone", Kind::RequiredStr),
        ];
        assert_eq!(f.read(&wrong, &mut values), Err("t is not a string".into()));
        assert_eq!(
            f.read(&wrong[1..], &mut values),
            Err("b is not true or false".into())
        );
        assert_eq!(
            f.read(&wrong[2..], &mut values),
            Err("gone is not present".into())
        );
    }

    #[test]
    fn the_last_of_repeated_names_wins() {
        let v = Json::from_tokens("o2\u{1f}sa\u{1f}sfirst\u{1f}sa\u{1f}slast\u{1f}").unwrap();
        assert_eq!(v.fields().unwrap().str("a"), Ok("last".into()));
    }

    #[test]
    fn items_read_in_turn_and_compare_one_by_one() {
        let Json::Array(mut items) = parse(r#"[["x", {"a": [1]}], ["x", {"a": [1]}], ["x"]]"#)
        else {
            panic!("not an array")
        };
        let (_, first) = items.next().unwrap();
        let (_, second) = items.next().unwrap();
        let (_, third) = items.next().unwrap();
        assert_eq!(items.next(), None);
        // Equal wherever their tokens are, and unequal when an item differs.
        assert_eq!(first, second);
        assert_ne!(first, third);
        assert_ne!(parse("[]"), parse("{}"));
        assert_ne!(parse(r#"{"a": 1}"#), parse(r#"{"b": 1}"#));
        assert_eq!(
            format!("{first:?}"),
            r#"Array([("", String("x")), ("", Object([("a", Array([("", Number(1.0))]))]))])"#
        );
    }

    #[test]
    fn arrays_and_objects_end_with_their_json_text() {
        let v = parse(r#"{"a": [1, {"b": "\u001f"}], "c": {}}"#);
        let Json::Object(members) = v else {
            panic!("not an object")
        };
        assert_eq!(members.json(), r#"{"a":[1,{"b":"\u001f"}],"c":{}}"#);
        let mut inner = members;
        let Some((_, Json::Array(items))) = inner.next() else {
            panic!("no array")
        };
        assert_eq!(items.json(), r#"[1,{"b":"\u001f"}]"#);
        // Read part of the way, or from a member, the text is still the whole value's.
        assert_eq!(inner.json(), members.json());
        assert_eq!(v.fields().unwrap().members().json(), members.json());
        let Some(Json::Object(empty)) = v.fields().unwrap().get("c") else {
            panic!("no object")
        };
        assert_eq!(empty.json(), "{}");
        // Whatever the text, it is read as the value's last token.
        let tokens = "a1\u{1f}o0\u{1f}{ }\u{1f}[{ }]";
        let Ok(Json::Array(items)) = Json::from_tokens(tokens) else {
            panic!("not read")
        };
        assert_eq!(items.json(), "[{ }]");
    }

    /// The tokens `jsonTokens` (`js/element.js`) makes of `[...]` nested `levels` deep around
    /// `null`, their JSON texts left empty.
    fn nested_tokens(levels: u32) -> String {
        let mut t = "a1\u{1f}".repeat(levels as usize);
        t.push('n');
        t.push_str(&"\u{1f}".repeat(levels as usize));
        t
    }

    #[test]
    fn tokens_read_every_kind_of_value() {
        let one = format!("d{:x}", 1.5f64.to_bits());
        let tokens = [
            "o4",
            "sname",
            "sMax \u{fffd}",
            "sn",
            "a3",
            "n",
            "t",
            "f",
            "[null,true,false]",
            "sx",
            &one,
            "sempty",
            "o0",
            "{}",
            "{...}",
        ]
        .join("\u{1f}");
        assert_eq!(
            Json::from_tokens(&tokens).map(tree),
            Ok(Tree::Object(vec![
                ("name".into(), Tree::String("Max \u{fffd}".into())),
                (
                    "n".into(),
                    Tree::Array(vec![Tree::Null, Tree::Bool(true), Tree::Bool(false)])
                ),
                ("x".into(), Tree::Number(1.5)),
                ("empty".into(), Tree::Object(vec![])),
            ]))
        );
        assert_eq!(Json::from_tokens("s"), Ok(Json::String("")));
        assert_eq!(
            Json::from_tokens("a+1\u{1f}n\u{1f}").map(tree),
            Ok(Tree::Array(vec![Tree::Null]))
        );
        let negative_zero = format!("d{:x}", (-0.0f64).to_bits());
        let Ok(Json::Number(z)) = Json::from_tokens(&negative_zero) else {
            panic!("-0 not read")
        };
        assert!(z == 0.0 && z.is_sign_negative());
    }

    #[test]
    fn tokens_nest_as_deep_as_the_limit_and_no_deeper() {
        assert!(Json::from_tokens(&nested_tokens(MAX_DEPTH)).is_ok());
        let too_deep = Err(String::from("JSON nested too deeply"));
        assert_eq!(Json::from_tokens(&nested_tokens(MAX_DEPTH + 1)), too_deep);
        assert_eq!(Json::from_tokens("a1\u{1f}x"), too_deep);
        // Deeper than any stack: refused at the limit, not by overflowing.
        assert_eq!(Json::from_tokens(&nested_tokens(100_000)), too_deep);
    }

    #[test]
    fn malformed_tokens_are_refused() {
        let malformed = Err(String::from("malformed JSON tokens"));
        for tokens in [
            "",
            "q",
            "a2\u{1f}n",
            "a\u{1f}n",
            "o1\u{1f}n\u{1f}n",
            "o1\u{1f}sname",
            "o1\u{1f}x\u{1f}n",
            "o1\u{1f}a0\u{1f}n",
            "o1\u{1f}d0\u{1f}n",
            "dzz",
            "n\u{1f}n",
            "a-1",
            "a2147483648\u{1f}n",
            "a4294967296\u{1f}n",
            "o18446744073709551617",
            "\u{e9}",
        ] {
            assert_eq!(Json::from_tokens(tokens), malformed, "{tokens:?}");
        }
    }
}
