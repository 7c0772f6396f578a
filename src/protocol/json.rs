//! JSON values (RFC 8259) parsed by the caller, so the browser build can use `JSON.parse`
//! instead of linking a JSON parser, and read here without a serialization framework: each
//! document's reader names the members it reads, the caller picks them out of the object
//! ([`JsonDecoder::parse`]), and one check ([`Members::check`]) holds each to the kind a
//! table gives it. A member borrows its strings and items from the tokens the caller wrote
//! of them ([`Members::from_tokens`]), so reading a document allocates only those, and
//! each document's reader copies out only the members it keeps. The search for a member
//! by name (the last of repeated names counting, as `JSON.parse` keeps it) and the walk
//! through nested values are the caller's: an object inside a document is handed over as
//! its JSON text and, when read, parsed in turn.

use super::decimal::number;
use super::text::{Pieces, before, fill, piece, pieces};

/// Largest provider document read (discovery, JWK Set), in bytes: real ones are a few KB,
/// and a larger one is refused before it is parsed.
pub const MAX_DOCUMENT_BYTES: usize = 100_000;

/// Deepest nesting of arrays and objects read: the documents read here are a level or two
/// deep, and a bound keeps a hostile server's `[[[[...]]]]` from exhausting the stack of the
/// code that walks it (the runner's `DEPTH` in `js/element.js`, which refuses deeper
/// documents before it writes any JSON text).
pub const MAX_DEPTH: u32 = 16;

/// Turns JSON text (RFC 8259) into the members a reader asks for.
pub trait JsonDecoder {
    /// Parses `text` and picks the members of the object it is named in `names` (separated
    /// by U+001F), as their tokens (see [`Members::from_tokens`]); a text that cannot be read
    /// gives its error when the members are ([`Members::values`]).
    fn parse<'n>(&self, text: &str, names: &'n str) -> Members<'n>;
}

/// A member's value (RFC 8259 §3) other than `null`, its strings and items borrowed from the
/// tokens it was read from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Json<'a> {
    /// `true` or `false`.
    Bool(bool),
    /// A number, as JavaScript holds it.
    Number(f64),
    /// A string.
    String(&'a str),
    /// An array: its items.
    Array(Items<'a>),
    /// An object: its JSON text, as `JSON.stringify` writes what `JSON.parse` read (the
    /// last of repeated names, no space), to hand on whole or to parse in turn.
    Object(&'a str),
}

impl<'a> Json<'a> {
    /// The text, when this is a string.
    pub fn as_str(self) -> Option<&'a str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }
}

/// The items of an array, each one token after a U+001E (as a member is: see
/// [`Members::from_tokens`]), read one after the other. An array among them is written as
/// its JSON text, as an object is (`o`): no reader looks into one.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Items<'a>(Pieces<'a>);

impl<'a> Iterator for Items<'a> {
    /// An item, `None` when it is `null`.
    type Item = Option<Json<'a>>;

    fn next(&mut self) -> Option<Option<Json<'a>>> {
        self.0.next().map(value)
    }
}

/// The error of a document, or a member, that should be an object and is not.
pub(crate) const NOT_AN_OBJECT: &str = "not a JSON object";

/// The value of one token, `None` for `null`: its kind (its first byte) and text. Every
/// kind is ASCII, so the text after a known kind is the token from its second byte; a token
/// of no known kind, or a number that is not one (neither of which the runner writes),
/// reads as `null`.
fn value(token: &str) -> Option<Json<'_>> {
    let kind = token.as_bytes().first().copied().unwrap_or(0);
    // A kind that is not ASCII is none of those below.
    let text = token.get(1..).unwrap_or_default();
    Some(match kind {
        b't' => Json::Bool(true),
        b'f' => Json::Bool(false),
        b'd' => Json::Number(f64::from_bits(number(text, 16)?)),
        b's' => Json::String(text),
        b'a' => {
            // The items follow a U+001E each: the first piece is empty.
            let mut items = pieces(text, 0x1e);
            items.next();
            Json::Array(Items(items))
        }
        b'o' => Json::Object(text),
        _ => return None,
    })
}

/// The members a reader asked for, as the caller picked them out of a value.
#[derive(Clone, Debug)]
pub struct Members<'n> {
    /// The names asked for, separated by U+001F.
    names: &'n str,
    /// The value's JSON text, then the members' tokens, separated by U+001F.
    tokens: String,
}

impl<'n> Members<'n> {
    /// Reads the members `names` asked for (separated by U+001F) from the tokens the
    /// browser's runner (`jsonTokens` in `js/element.js`) makes of what `JSON.parse`
    /// returned, so the browser build needs no JSON parser of its own.
    ///
    /// Tokens are separated by U+001F (which strings never contain: the runner replaces it
    /// and U+001E with U+FFFD). The first is the value's JSON text (`JSON.stringify`, which
    /// escapes both separators); when the value is an object, one token follows for each
    /// name, in the order of `names`: `n` for a member that is absent or `null`, `t` true,
    /// `f` false, `d` and a number's IEEE 754 bits in hexadecimal, `s` and a string, `o` and
    /// an object's JSON text, and `a` and an array's items, each after a U+001E (see
    /// [`Items`]). A value that is not an object has no more tokens. No tokens at all mean
    /// the text was not JSON, and the one token `x` that it nests deeper than
    /// [`MAX_DEPTH`]; the runner checks the depth before it writes any JSON text, and
    /// nothing here walks nested values, so a hostile `[[[[...]]]]` exhausts no stack.
    pub fn from_tokens(names: &'n str, tokens: String) -> Self {
        Self { names, tokens }
    }

    /// Whether the text was JSON, nested no deeper than [`MAX_DEPTH`].
    pub fn is_json(&self) -> bool {
        !matches!(self.tokens.as_bytes().first(), None | Some(b'x'))
    }

    /// The value's JSON text, as `JSON.stringify` writes what `JSON.parse` read.
    pub fn json(&self) -> &str {
        before(&self.tokens, &[0x1f])
    }

    /// Reads the members into `values`, one for each name: the member, or `None` when it is
    /// absent or `null` (as it counts for optional OAuth and OpenID Connect parameters). Of
    /// repeated names the last counts, as in `JSON.parse`. A text that is not JSON, nests
    /// too deeply or is not an object gives its error.
    pub fn values<'a>(&'a self, values: &mut [Option<Json<'a>>]) -> Result<(), String> {
        // An object's JSON text, and only an object's, starts with a brace; no JSON text
        // starts with `x`.
        match self.tokens.as_bytes().first() {
            Some(b'{') => {}
            None => return Err(String::from("not valid JSON")),
            Some(b'x') => return Err(String::from("JSON nested too deeply")),
            _ => return Err(NOT_AN_OBJECT.into()),
        }
        // By index: no iterator over the slots, each read by its place.
        let mut i = 0;
        while let Some(slot) = values.get_mut(i) {
            *slot = self.value(i);
            i += 1;
        }
        Ok(())
    }

    /// The member at `at` in the order of the names, as [`Members::values`] reads it, of an
    /// object read before: one member read again without the others.
    pub fn value(&self, at: usize) -> Option<Json<'_>> {
        // An empty piece, as past the last, reads as absent.
        value(piece(&self.tokens, 0x1f, at + 1))
    }

    /// [`Members::values`], each then checked against its [`Kind`] ([`Members::check`]).
    pub fn read<'a>(
        &'a self,
        kinds: &[Kind],
        values: &mut [Option<Json<'a>>],
    ) -> Result<(), String> {
        self.values(values)?;
        self.check(kinds, values)
    }

    /// Checks `values` (as [`Members::values`] read them), in the order of the names, each
    /// against its [`Kind`] in `kinds`, as far as `kinds` goes. The first member that is
    /// missing or of the wrong type gives the error, which names it and what it should be
    /// ("`name` is not a string", "... present"), never its value, because values may be
    /// tokens. Convert the values with [`text`], [`texts`], [`flag`] and [`seconds`]. One
    /// copy of the checks serves every table.
    pub fn check(&self, kinds: &[Kind], values: &[Option<Json>]) -> Result<(), String> {
        // By index: the name is read by its place only for the error.
        let mut i = 0;
        while let (Some(&kind), Some(&value)) = (kinds.get(i), values.get(i)) {
            // Whether the value is what its kind allows; if not, the kind's sentence in
            // [`WRONG`] says what it is not.
            let fits = match (kind, value) {
                (Kind::Absent, value) => value.is_none(),
                (Kind::RequiredStr | Kind::RequiredSeconds, None) => false,
                (_, None) => true,
                (Kind::Str | Kind::RequiredStr, Some(Json::String(_)))
                | (Kind::Bool, Some(Json::Bool(_))) => true,
                (Kind::Strings, Some(list @ Json::Array(_))) => {
                    listed(Some(list), "").1 != usize::MAX
                }
                (
                    Kind::Seconds | Kind::RequiredSeconds | Kind::SecondsOrDigits,
                    Some(Json::Number(n)),
                ) => (0.0..SECONDS_END).contains(&n),
                (Kind::SecondsOrDigits, Some(Json::String(s))) => number(s, 10).is_some(),
                _ => false,
            };
            if !fits {
                // Only a member that must be present gets here without a value; a string of
                // seconds that is not digits is quoted.
                let (template, what) = match (kind, value) {
                    (_, None) => ("\u{1} \u{1}", "is not present"),
                    (Kind::SecondsOrDigits, Some(Json::String(s))) => {
                        ("\u{1} is not a number of seconds: \"\u{1}\"", s)
                    }
                    _ => ("\u{1} \u{1}", piece(WRONG, 0x1f, kind as usize)),
                };
                // Each reader names every member it reads.
                return Err(fill(template, &[piece(self.names, 0x1f, i), what]));
            }
            i += 1;
        }
        Ok(())
    }
}

/// What a member checked by [`Members::check`] must be when it is present (not absent or
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
    /// A member that must be absent (or `null`): `crit`, which lists extensions a token is
    /// invalid without (RFC 7515 §4.1.11), where this client supports none.
    Absent,
}

/// What a member of each [`Kind`] is when it is present but not of its kind, in the order
/// of the kinds, each ended by U+001F: one text rather than a sentence in each branch.
const WRONG: &str = concat!(
    "is not a string\u{1f}",                         // Str
    "is not a string\u{1f}",                         // RequiredStr
    "is not true or false\u{1f}",                    // Bool
    "is not an array of strings\u{1f}",              // Strings
    "is not a non-negative number of seconds\u{1f}", // Seconds
    "is not a non-negative number of seconds\u{1f}", // RequiredSeconds
    "is not a non-negative number of seconds\u{1f}", // SecondsOrDigits
    "lists extensions this client does not support", // Absent
);

/// 2^64 as f64: a number of seconds at or above it would saturate silently.
const SECONDS_END: f64 = 18_446_744_073_709_551_616.0;

/// Whether `value` is the string `list`, or one of the items of the array `list`, and how
/// many items the array has (0 for a string), `usize::MAX` when one is not a string: one
/// walk for the audiences of an ID token, the lists of a discovery document and
/// [`Members::check`].
pub(crate) fn listed(list: Option<Json>, value: &str) -> (bool, usize) {
    let (mut found, mut count) = (false, 0);
    match list {
        Some(Json::Array(items)) => {
            for item in items {
                let Some(Json::String(one)) = item else {
                    return (false, usize::MAX);
                };
                count += 1;
                found |= one == value;
            }
        }
        Some(Json::String(one)) => found = one == value,
        _ => {}
    }
    (found, count)
}

/// The text of a member [`Members::check`] found to be a string ([`Kind::Str`]).
pub fn text(value: Option<Json>) -> Option<String> {
    match value {
        Some(Json::String(s)) => Some(String::from(s)),
        _ => None,
    }
}

/// The text of a member [`Members::check`] found to be a string, or empty when absent.
pub fn text_or_empty(value: Option<Json>) -> String {
    text(value).unwrap_or_default()
}

/// The strings of a member [`Members::check`] found to be an array of strings
/// ([`Kind::Strings`]).
pub fn texts(value: Option<Json>) -> Option<Vec<String>> {
    match value {
        Some(Json::Array(items)) => {
            let mut texts = Vec::new();
            for item in items {
                if let Some(Json::String(s)) = item {
                    texts.push(String::from(s));
                }
            }
            Some(texts)
        }
        _ => None,
    }
}

/// Whether a member [`Members::check`] found to be `true` or `false` ([`Kind::Bool`]) is
/// `true`; absent is `false`.
pub fn flag(value: Option<Json>) -> bool {
    matches!(value, Some(Json::Bool(true)))
}

/// The count of a member [`Members::check`] found to be seconds ([`Kind::Seconds`] and the
/// like), rounded down.
pub fn seconds(value: Option<Json>) -> Option<u64> {
    match value {
        Some(Json::Number(n)) => Some(n as u64),
        Some(Json::String(s)) => number(s, 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::{Json, JsonDecoder, Kind, MAX_DEPTH, Members, flag, listed, seconds, text, texts};
    use crate::protocol::test_support::{SerdeJson, object, to_tokens};

    /// The members of `text` that `names` asks for, read with [`SerdeJson`].
    fn parse(text: &str, names: &'static str) -> Members<'static> {
        SerdeJson.parse(text, names)
    }

    /// The one member of `text` that `name` names, read as `kind`.
    fn one(text: &str, name: &'static str, kind: Kind) -> Result<Option<String>, String> {
        let members = parse(text, name);
        let mut value = [None];
        members.read(&[kind], &mut value)?;
        Ok(value[0].map(|v| format!("{v:?}")))
    }

    #[test]
    fn accepts_integers_and_floats() {
        let members = parse(
            r#"{"exp": 1700000000.0, "iat": 1699999999, "expires_in": 3600, "x": 10.9}"#,
            "exp\u{1f}iat\u{1f}expires_in\u{1f}x",
        );
        let mut values = [None; 4];
        let kinds = [
            Kind::RequiredSeconds,
            Kind::Seconds,
            Kind::SecondsOrDigits,
            Kind::Seconds,
        ];
        assert_eq!(members.read(&kinds, &mut values), Ok(()));
        assert_eq!(
            values.map(seconds),
            [
                Some(1_700_000_000),
                Some(1_699_999_999),
                Some(3600),
                Some(10)
            ]
        );
    }

    #[test]
    fn absent_and_null_are_none() {
        let text = r#"{"exp": 1, "iat": null, "name": null}"#;
        assert_eq!(one(text, "iat", Kind::Seconds), Ok(None));
        assert_eq!(one(text, "expires_in", Kind::SecondsOrDigits), Ok(None));
        assert_eq!(one(text, "name", Kind::Str), Ok(None));
        assert_eq!(
            one(text, "name", Kind::RequiredStr),
            Err("name is not present".into())
        );
        assert_eq!(
            one(text, "gone", Kind::RequiredSeconds),
            Err("gone is not present".into())
        );
    }

    #[test]
    fn lists_are_walked_once() {
        let members = parse(
            r#"{"one": "a", "many": ["a", "b", "a"], "mixed": ["a", 1], "none": []}"#,
            "one\u{1f}many\u{1f}mixed\u{1f}none\u{1f}absent",
        );
        let mut values = [None; 5];
        members.values(&mut values).unwrap();
        let [one, many, mixed, none, absent] = values;
        assert_eq!(listed(one, "a"), (true, 0));
        assert_eq!(listed(one, "b"), (false, 0));
        assert_eq!(listed(many, "b"), (true, 3));
        assert_eq!(listed(many, "c"), (false, 3));
        assert_eq!(listed(mixed, "a"), (false, usize::MAX));
        assert_eq!(listed(none, ""), (false, 0));
        assert_eq!(listed(absent, ""), (false, 0));
    }

    #[test]
    fn strings_only_where_lenient() {
        let text = r#"{"exp": "1", "expires_in": "3600", "bad": "soon"}"#;
        let members = parse(text, "expires_in");
        let mut value = [None];
        assert_eq!(members.read(&[Kind::SecondsOrDigits], &mut value), Ok(()));
        assert_eq!(seconds(value[0]), Some(3600));
        assert_eq!(
            one(text, "exp", Kind::RequiredSeconds),
            Err("exp is not a non-negative number of seconds".into())
        );
        assert_eq!(
            one(text, "bad", Kind::SecondsOrDigits),
            Err("bad is not a number of seconds: \"soon\"".into())
        );
    }

    #[test]
    fn rejects_negative_huge_and_missing() {
        for text in [
            r#"{"exp": -1}"#,
            r#"{"exp": -1.5}"#,
            r#"{"exp": 1e30}"#,
            r#"{"exp": 18446744073709551616}"#,
            r#"{}"#,
        ] {
            assert!(one(text, "exp", Kind::RequiredSeconds).is_err(), "{text}");
        }
        // Up to the last float below 2^64, and -0.
        for text in [r#"{"exp": 18446744073709549568}"#, r#"{"exp": -0.0}"#] {
            assert!(one(text, "exp", Kind::RequiredSeconds).is_ok(), "{text}");
        }
    }

    #[test]
    fn wrong_types_name_the_member_but_not_the_value() {
        let text = r#"{"a": 1, "b": ["x", 2], "c": "yes", "d": {"x": 1}, "e": [["x"]]}"#;
        assert_eq!(one(text, "a", Kind::Str), Err("a is not a string".into()));
        assert_eq!(
            one(text, "b", Kind::Strings),
            Err("b is not an array of strings".into())
        );
        assert_eq!(
            one(text, "e", Kind::Strings),
            Err("e is not an array of strings".into())
        );
        assert_eq!(
            one(text, "c", Kind::Bool),
            Err("c is not true or false".into())
        );
        assert_eq!(one(text, "d", Kind::Str), Err("d is not a string".into()));
        assert_eq!(
            one(text, "c", Kind::Absent),
            Err("c lists extensions this client does not support".into())
        );
        assert_eq!(one(text, "gone", Kind::Absent), Ok(None));
        for text in ["[1]", "\"a\"", "1", "null"] {
            assert_eq!(
                one(text, "a", Kind::Str),
                Err("not a JSON object".into()),
                "{text}"
            );
        }
    }

    #[test]
    fn each_kind_names_what_a_wrong_value_is_not() {
        // An object is of no kind: each kind's sentence, in the order of the kinds.
        let text = r#"{"a": {}}"#;
        for (kind, sentence) in [
            (Kind::Str, "a is not a string"),
            (Kind::RequiredStr, "a is not a string"),
            (Kind::Bool, "a is not true or false"),
            (Kind::Strings, "a is not an array of strings"),
            (Kind::Seconds, "a is not a non-negative number of seconds"),
            (
                Kind::RequiredSeconds,
                "a is not a non-negative number of seconds",
            ),
            (
                Kind::SecondsOrDigits,
                "a is not a non-negative number of seconds",
            ),
            (
                Kind::Absent,
                "a lists extensions this client does not support",
            ),
        ] {
            assert_eq!(one(text, "a", kind), Err(sentence.into()), "{kind:?}");
        }
    }

    #[test]
    fn a_table_reads_each_member_in_its_order() {
        let members = parse(
            r#"{"b": ["x"], "a": "A", "n": null, "t": true, "s": "60"}"#,
            "a\u{1f}b\u{1f}n\u{1f}t\u{1f}s\u{1f}gone",
        );
        let kinds = [
            Kind::RequiredStr,
            Kind::Strings,
            Kind::Str,
            Kind::Bool,
            Kind::SecondsOrDigits,
            Kind::Seconds,
        ];
        let mut values = [None; 6];
        assert_eq!(members.read(&kinds, &mut values), Ok(()));
        let [a, b, n, t, s, gone] = values;
        assert_eq!(text(a), Some("A".into()));
        assert_eq!(texts(b), Some(vec!["x".into()]));
        assert_eq!((text(n), n), (None, None));
        assert!(flag(t) && !flag(n));
        assert_eq!((seconds(s), seconds(gone)), (Some(60), None));
        // The first wrong member in the table's order is named, whatever the document's;
        // a shorter table checks fewer.
        let members = parse(&object(&[("b", "[1]"), ("a", "1")]), "a\u{1f}b");
        let mut values = [None; 2];
        assert_eq!(members.values(&mut values), Ok(()));
        let wrong = [Kind::Str, Kind::Strings];
        assert_eq!(
            members.check(&wrong, &values),
            Err("a is not a string".into())
        );
        assert_eq!(
            members.check(&wrong[..1], &values[..1]),
            Err("a is not a string".into())
        );
        assert_eq!(members.check(&[], &values), Ok(()));
        let members = parse(&object(&[("b", "[1]"), ("a", "\"x\"")]), "a\u{1f}b");
        assert_eq!(
            members.read(&wrong, &mut values),
            Err("b is not an array of strings".into())
        );
    }

    #[test]
    fn one_member_reads_as_all_of_them_do() {
        let members = parse(
            r#"{"b": ["x"], "a": "A", "n": null, "t": true}"#,
            "a\u{1f}b\u{1f}n\u{1f}t\u{1f}gone",
        );
        let mut values = [None; 5];
        assert_eq!(members.values(&mut values), Ok(()));
        for (at, value) in values.iter().enumerate() {
            assert_eq!(members.value(at), *value, "{at}");
        }
        assert_eq!(members.value(0), Some(Json::String("A")));
        assert_eq!(members.value(3), Some(Json::Bool(true)));
        assert_eq!(members.value(5), None);
    }

    #[test]
    fn the_last_of_repeated_names_counts() {
        let text = object(&[("a", "\"first\""), ("b", "1"), ("a", "\"last\"")]);
        assert_eq!(
            one(&text, "a", Kind::Str),
            Ok(Some("String(\"last\")".into()))
        );
        let text = object(&[("a", "\"first\""), ("a", "null")]);
        assert_eq!(
            one(&text, "a", Kind::RequiredStr),
            Err("a is not present".into())
        );
    }

    #[test]
    fn items_read_in_turn() {
        let members = parse(
            r#"{"a": ["x", null, 1.5, true, {"b": [1]}, ["y"]], "e": []}"#,
            "a\u{1f}e",
        );
        let mut values = [None; 2];
        assert_eq!(members.values(&mut values), Ok(()));
        let [Some(Json::Array(items)), Some(Json::Array(mut empty))] = values else {
            panic!("not arrays: {values:?}")
        };
        assert_eq!(
            items.collect::<Vec<_>>(),
            [
                Some(Json::String("x")),
                None,
                Some(Json::Number(1.5)),
                Some(Json::Bool(true)),
                // An object among them is its JSON text, and so is an array.
                Some(Json::Object(r#"{"b":[1]}"#)),
                Some(Json::Object(r#"["y"]"#)),
            ]
        );
        assert_eq!(empty.next(), None);
        assert_eq!(Json::String("x").as_str(), Some("x"));
        assert_eq!(Json::Bool(true).as_str(), None);
    }

    #[test]
    fn objects_are_their_json_text() {
        let text =
            r#" { "a" : [1, {"b": "\u001f"}], "c": {}, "d": {"x": {"y": "\u001e"}, "x": 2} } "#;
        let members = parse(text, "d\u{1f}c");
        assert_eq!(
            members.json(),
            r#"{"a":[1,{"b":"\u001f"}],"c":{},"d":{"x":2}}"#
        );
        let mut values = [None; 2];
        assert_eq!(members.values(&mut values), Ok(()));
        assert_eq!(
            values,
            [Some(Json::Object(r#"{"x":2}"#)), Some(Json::Object("{}"))]
        );
        // Read in turn, as the runner hands it over.
        let inner = parse(r#"{"x":2}"#, "x");
        assert_eq!(inner.read(&[Kind::Seconds], &mut values[..1]), Ok(()));
        assert_eq!(seconds(values[0]), Some(2));
        // Any value's JSON text is there, whatever it is.
        assert_eq!(parse("[ \"a\" ]", "a").json(), r#"["a"]"#);
        assert_eq!(parse("\"acc\\u0065ss\"", "a").json(), "\"access\"");
    }

    #[test]
    fn tokens_read_every_kind_of_value() {
        let one = format!("d{:x}", 1.5f64.to_bits());
        let negative_zero = format!("d{:x}", (-0.0f64).to_bits());
        let tokens = [
            "{...}",
            "sMax \u{fffd}",
            "a\u{1e}n\u{1e}t\u{1e}f\u{1e}o[1]",
            &one,
            "o{}",
            "n",
            "s",
            &negative_zero,
            "a",
        ]
        .join("\u{1f}");
        let members = Members::from_tokens(
            "name\u{1f}n\u{1f}x\u{1f}empty\u{1f}null\u{1f}blank\u{1f}z\u{1f}e",
            tokens,
        );
        let mut values = [None; 8];
        assert_eq!(members.values(&mut values), Ok(()));
        let [
            name,
            Some(Json::Array(items)),
            x,
            empty,
            null,
            blank,
            Some(Json::Number(z)),
            Some(Json::Array(mut e)),
        ] = values
        else {
            panic!("not read: {values:?}")
        };
        assert_eq!(name, Some(Json::String("Max \u{fffd}")));
        assert_eq!(
            items.collect::<Vec<_>>(),
            [
                None,
                Some(Json::Bool(true)),
                Some(Json::Bool(false)),
                Some(Json::Object("[1]"))
            ]
        );
        assert_eq!(
            (x, empty, null),
            (Some(Json::Number(1.5)), Some(Json::Object("{}")), None)
        );
        assert_eq!(blank, Some(Json::String("")));
        assert!(z == 0.0 && z.is_sign_negative());
        assert_eq!(e.next(), None);
    }

    #[test]
    fn tokens_of_no_known_kind_read_as_absent() {
        // The runner writes none of these; none panics, and each reads as `null` would.
        let tokens = ["{}", "q", "", "dzz", "d", "\u{e9}", "x"].join("\u{1f}");
        let members =
            Members::from_tokens("a\u{1f}b\u{1f}c\u{1f}d\u{1f}e\u{1f}f\u{1f}g\u{1f}h", tokens);
        let mut values = [Some(Json::Bool(true)); 8];
        assert_eq!(members.values(&mut values), Ok(()));
        assert_eq!(values, [None; 8]);
        assert_eq!(
            members.check(&[Kind::RequiredStr], &values),
            Err("a is not present".into())
        );
    }

    #[test]
    fn text_that_is_not_json_or_nests_too_deeply_is_refused() {
        let not_json = Err(String::from("not valid JSON"));
        let too_deep = Err(String::from("JSON nested too deeply"));
        for (text, error) in [
            ("", &not_json),
            ("{", &not_json),
            ("{'a': 1}", &not_json),
            ("x", &not_json),
        ] {
            let members = parse(text, "a");
            assert!(!members.is_json(), "{text}");
            assert_eq!(&members.values(&mut [None]), error, "{text}");
            assert_eq!(members.json(), "");
        }
        // Nested as deep as the limit and no deeper.
        let nested = |levels: usize| format!("{}1{}", "[".repeat(levels), "]".repeat(levels));
        let at_limit = format!(r#"{{"a": {}}}"#, nested(MAX_DEPTH as usize - 1));
        assert!(parse(&at_limit, "a").is_json());
        assert_eq!(parse(&at_limit, "a").values(&mut [None]), Ok(()));
        let deeper = format!(r#"{{"a": {}}}"#, nested(MAX_DEPTH as usize));
        assert_eq!(to_tokens(&deeper, "a"), "x");
        assert!(!parse(&deeper, "a").is_json());
        assert_eq!(parse(&deeper, "a").values(&mut [None]), too_deep);
        // Deeper than any stack: the runner refuses it before writing any text, and the
        // one token it writes is read without walking anything.
        let members = Members::from_tokens("a", "x".into());
        assert_eq!(members.values(&mut [None]), too_deep);
        assert_eq!(
            Members::from_tokens("a", String::new()).values(&mut [None]),
            not_json
        );
    }
}
