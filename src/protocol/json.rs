//! JSON values (RFC 8259) parsed by the caller, so the browser build can use `JSON.parse`
//! instead of linking a JSON parser, and read here field by field without a serialization
//! framework.

/// Largest provider document read (discovery, JWK Set), in bytes: real ones are a few KB,
/// and a larger one is refused before it is parsed.
pub const MAX_DOCUMENT_BYTES: usize = 100_000;

/// Turns JSON text (RFC 8259) into a [`Json`] value.
pub trait JsonDecoder {
    /// Parses `text`, or describes why it could not.
    fn parse(&self, text: &str) -> Result<Json, String>;
}

/// A parsed JSON value (RFC 8259 §3).
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as JavaScript holds it.
    Number(f64),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object's members in document order (RFC 8259 §4).
    Object(Vec<(String, Json)>),
}

/// The members of a JSON object, read by name.
///
/// A member that is `null` counts as absent, as it does for optional OAuth and OpenID
/// Connect parameters. Errors name the member and the expected type, never its value,
/// because values may be tokens.
#[derive(Clone, Copy, Debug)]
pub struct Fields<'a>(&'a [(String, Json)]);

impl Json {
    /// The members, when this is an object.
    pub fn fields(&self) -> Result<Fields<'_>, String> {
        match self {
            Json::Object(members) => Ok(Fields(members)),
            _ => Err("not a JSON object".into()),
        }
    }

    /// The text, when this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }
}

/// `"name is not <what>"`.
fn not(name: &str, what: &str) -> String {
    let mut s = String::from(name);
    s.push_str(" is not ");
    s.push_str(what);
    s
}

impl<'a> Fields<'a> {
    /// The member `name`, unless it is absent or `null`. Of repeated names the last wins,
    /// as in `JSON.parse`.
    pub fn get(&self, name: &str) -> Option<&'a Json> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
            .filter(|v| **v != Json::Null)
    }

    /// An optional string member.
    pub fn opt_str(&self, name: &str) -> Result<Option<String>, String> {
        match self.get(name) {
            None => Ok(None),
            Some(Json::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(not(name, "a string")),
        }
    }

    /// A required string member.
    pub fn str(&self, name: &str) -> Result<String, String> {
        self.opt_str(name)?.ok_or_else(|| not(name, "present"))
    }

    /// An optional boolean member.
    pub fn opt_bool(&self, name: &str) -> Result<Option<bool>, String> {
        match self.get(name) {
            None => Ok(None),
            Some(Json::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(not(name, "true or false")),
        }
    }

    /// An optional array of strings.
    pub fn opt_strings(&self, name: &str) -> Result<Option<Vec<String>>, String> {
        match self.get(name) {
            None => Ok(None),
            Some(Json::Array(items)) => items
                .iter()
                .map(|v| v.as_str().map(String::from))
                .collect::<Option<Vec<_>>>()
                .map(Some)
                .ok_or_else(|| not(name, "an array of strings")),
            Some(_) => Err(not(name, "an array of strings")),
        }
    }

    /// An optional count of seconds (`expires_in`, `exp`, `iat`, `auth_time`).
    ///
    /// JavaScript numbers are all floating point, so whole floats are accepted; RFC 7519
    /// §2 NumericDate allows fractions, which are rounded down. With `allow_str`, a string of
    /// digits is accepted too, as some token endpoints send `expires_in`; a string that is
    /// not one is quoted in the error, since it cannot be a token.
    pub fn opt_seconds(&self, name: &str, allow_str: bool) -> Result<Option<u64>, String> {
        match self.get(name) {
            None => Ok(None),
            // 2^64 as f64: anything at or above it would saturate silently.
            Some(Json::Number(n)) if (0.0..18_446_744_073_709_551_616.0).contains(n) => {
                Ok(Some(*n as u64))
            }
            Some(Json::String(s)) if allow_str => match s.parse() {
                Ok(n) => Ok(Some(n)),
                Err(_) => {
                    let mut e = not(name, "a number of seconds: \"");
                    e.push_str(s);
                    e.push('"');
                    Err(e)
                }
            },
            Some(_) => Err(not(name, "a non-negative number of seconds")),
        }
    }

    /// A required count of seconds; see [`Fields::opt_seconds`].
    pub fn seconds(&self, name: &str) -> Result<u64, String> {
        self.opt_seconds(name, false)?
            .ok_or_else(|| not(name, "present"))
    }
}

#[cfg(test)]
mod tests {
    use super::{Json, JsonDecoder};
    use crate::protocol::test_support::SerdeJson;

    fn parse(text: &str) -> Json {
        SerdeJson.parse(text).unwrap()
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
    }

    #[test]
    fn the_last_of_repeated_names_wins() {
        let v = Json::Object(vec![
            ("a".into(), Json::String("first".into())),
            ("a".into(), Json::String("last".into())),
        ]);
        assert_eq!(v.fields().unwrap().str("a"), Ok("last".into()));
    }
}
