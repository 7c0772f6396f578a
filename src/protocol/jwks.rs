//! The provider's signing keys (RFC 7517 §4, §5) and the choice of the key that signed an
//! ID token (OpenID Connect Core 1.0 §10.1), so the caller can verify the signature with
//! WebCrypto.

use super::error::{ErrorCode, SigninError};
use super::id_token::{JwtHeader, invalid_with};
use super::json::{
    Json, JsonDecoder, Kind, MAX_DOCUMENT_BYTES, NOT_AN_OBJECT, text, text_or_empty,
};

/// A public key from the provider's JWK Set (RFC 7517 §4, RFC 7518 §6).
///
/// The members that choose and check the key are read; WebCrypto's `importKey("jwk", ...)`
/// gets its public members for RS256 (`n`, `e`) and ES256 (`crv`, `x`, `y`), which the
/// effect runner takes from the key's JSON text ([`Jwk::json`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Jwk {
    /// Key type: `RSA` or `EC`.
    pub kty: String,
    /// Key ID, matched against the JWT header's `kid`.
    pub kid: Option<String>,
    /// The algorithm the key is meant for.
    pub alg: Option<String>,
    /// Intended use: `sig` or `enc`.
    pub key_use: Option<String>,
    /// RSA modulus, base64url.
    pub n: Option<String>,
    /// RSA public exponent, base64url.
    pub e: Option<String>,
    /// Elliptic curve name, e.g. `P-256`.
    pub crv: Option<String>,
    /// EC x coordinate, base64url.
    pub x: Option<String>,
    /// EC y coordinate, base64url.
    pub y: Option<String>,
    /// The key's JSON text, as the JSON reader wrote it (the members above read from it).
    pub json: String,
}

/// The members [`Jwk`] reads, in the order they are checked.
const NAMES: &str = "kty\u{1f}kid\u{1f}alg\u{1f}use\u{1f}n\u{1f}e\u{1f}crv\u{1f}x\u{1f}y";

/// The kinds of [`NAMES`], one for each.
const KINDS: [Kind; 9] = [
    Kind::RequiredStr,
    Kind::Str,
    Kind::Str,
    Kind::Str,
    Kind::Str,
    Kind::Str,
    Kind::Str,
    Kind::Str,
    Kind::Str,
];

impl Jwk {
    /// Reads one key of a set from its JSON text `source`.
    fn from_json(source: &str, json: &impl JsonDecoder) -> Result<Self, String> {
        let mut values = [None; 9];
        let members = json.parse(source, NAMES);
        members.read(&KINDS, &mut values)?;
        let [kty, kid, alg, key_use, n, e, crv, x, y] = values;
        Ok(Self {
            kty: text_or_empty(kty),
            kid: text(kid),
            alg: text(alg),
            key_use: text(key_use),
            n: text(n),
            e: text(e),
            crv: text(crv),
            x: text(x),
            y: text(y),
            json: source.into(),
        })
    }

    /// Whether this key can verify a signature made with `alg` (RFC 7518 §3.1): the key
    /// type and curve fit, and `use` and `alg`, when given, allow it (RFC 7517 §4.2, §4.4).
    fn verifies(&self, alg: &str) -> bool {
        // Patterns rather than `==` on the `String`s: a pattern compares the text where it
        // is, without a constant `&str` in memory to compare it with.
        // The key's own `alg`, when given, is matched with the algorithm in the same pattern.
        let fits = match (alg, self.kty.as_str(), self.alg.as_deref()) {
            ("RS256", "RSA", None | Some("RS256")) => self.n.is_some() && self.e.is_some(),
            ("ES256", "EC", None | Some("ES256")) => {
                matches!(self.crv.as_deref(), Some("P-256")) && self.x.is_some() && self.y.is_some()
            }
            _ => false,
        };
        fits && matches!(self.key_use.as_deref(), None | Some("sig"))
    }
}

/// A JWK Set (RFC 7517 §5).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JwkSet {
    /// The keys.
    pub keys: Vec<Jwk>,
}

/// Parses the document at the provider's `jwks_uri` (RFC 7517 §5); unreadable documents
/// (or over [`MAX_DOCUMENT_BYTES`]) give `invalid_id_token` with the truncated body as
/// cause, since no ID token can then be verified.
pub fn parse_jwks(body: &str, json: &impl JsonDecoder) -> Result<JwkSet, SigninError> {
    // Each step breaks out with its reason, so no result is mapped or chained.
    let e: String = 'unreadable: {
        if body.len() > MAX_DOCUMENT_BYTES {
            break 'unreadable "larger than 100 KB".into();
        }
        let set = json.parse(body, "keys");
        let mut values = [None];
        if let Err(e) = set.values(&mut values) {
            break 'unreadable e;
        }
        let [Some(Json::Array(items))] = values else {
            break 'unreadable "keys is not an array".into();
        };
        // A plain loop: collecting into a `Result` links a generic adapter for this one use.
        // Each key is handed over as its JSON text, and read in turn.
        let mut keys = Vec::new();
        for item in items {
            let Some(Json::Object(text)) = item else {
                break 'unreadable NOT_AN_OBJECT.into();
            };
            match Jwk::from_json(text, json) {
                Ok(key) => keys.push(key),
                Err(e) => break 'unreadable e,
            }
        }
        return Ok(JwkSet { keys });
    };
    Err(SigninError::new(
        ErrorCode::InvalidIdToken,
        "The provider's signing keys (jwks_uri) are not a JSON Web Key Set, so the ID token cannot be verified.",
    )
    .with_body(&e, body))
}

/// The key that signed a JWT with this header (RFC 7515 §4.1.4, OpenID Connect Core 1.0
/// §10.1): the key with the header's `kid` when there is one, else the only key able to
/// verify the header's `alg`.
pub fn select_key<'a>(keys: &'a JwkSet, header: &JwtHeader) -> Result<&'a Jwk, SigninError> {
    // Each way of finding no one key breaks out with its reason, told in one sentence.
    let why = 'none: {
        let mut found = None;
        let mut i = 0;
        while let Some(key) = keys.keys.get(i) {
            i += 1;
            if key.verifies(&header.alg) && (header.kid.is_none() || key.kid == header.kid) {
                if found.is_some() {
                    break 'none "several keys of the provider could have signed it and it names none";
                }
                found = Some(key);
            }
        }
        match found {
            Some(key) => return Ok(key),
            None => "no key of the provider can verify its signature",
        }
    };
    Err(invalid_with(
        "\u{1} (alg \u{1}, kid \u{1})",
        &[why, &header.alg, header.kid.as_deref().unwrap_or("none")],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::test_support::{SerdeJson, assert_required, assert_type_errors, object};

    const JWKS: &str = r#"{"keys":[
        {"kty":"RSA","kid":"r1","use":"sig","alg":"RS256","n":"AQAB","e":"AQAB"},
        {"kty":"RSA","kid":"r2","n":"AQAB","e":"AQAB"},
        {"kty":"RSA","kid":"enc","use":"enc","n":"AQAB","e":"AQAB"},
        {"kty":"EC","kid":"e1","crv":"P-256","x":"AA","y":"AA"},
        {"kty":"EC","kid":"p384","crv":"P-384","x":"AA","y":"AA"},
        {"kty":"oct","kid":"hmac","k":"c2VjcmV0"}
    ]}"#;

    fn keys() -> JwkSet {
        parse_jwks(JWKS, &SerdeJson).unwrap()
    }

    fn header(alg: &str, kid: Option<&str>) -> JwtHeader {
        JwtHeader {
            alg: alg.into(),
            kid: kid.map(Into::into),
            typ: None,
        }
    }

    fn selected(alg: &str, kid: Option<&str>) -> Result<String, ErrorCode> {
        let keys = keys();
        select_key(&keys, &header(alg, kid))
            .map(|k| k.kid.clone().unwrap_or_default())
            .map_err(|e| e.code)
    }

    #[test]
    fn parses_members() {
        let keys = keys();
        assert_eq!(keys.keys.len(), 6);
        assert_eq!(keys.keys[0].key_use.as_deref(), Some("sig"));
        assert_eq!(keys.keys[3].crv.as_deref(), Some("P-256"));
    }

    #[test]
    fn selects_by_kid() {
        assert_eq!(selected("RS256", Some("r2")), Ok("r2".into()));
        assert_eq!(selected("ES256", Some("e1")), Ok("e1".into()));
    }

    #[test]
    fn refuses_keys_that_cannot_verify() {
        for (alg, kid) in [
            ("RS256", "e1"),
            ("ES256", "r1"),
            ("ES256", "p384"),
            ("RS256", "enc"),
            ("RS256", "hmac"),
            ("HS256", "hmac"),
            ("RS256", "missing"),
        ] {
            assert_eq!(
                selected(alg, Some(kid)),
                Err(ErrorCode::InvalidIdToken),
                "{kid}"
            );
        }
        let keys = parse_jwks(
            r#"{"keys":[{"kty":"RSA","alg":"RS384","n":"A","e":"A"}]}"#,
            &SerdeJson,
        );
        assert!(select_key(&keys.unwrap(), &header("RS256", None)).is_err());
    }

    #[test]
    fn without_kid_the_key_must_be_unique() {
        assert_eq!(selected("ES256", None), Ok("e1".into()));
        assert_eq!(selected("RS256", None), Err(ErrorCode::InvalidIdToken));
    }

    /// Regression: a key set of any size was handed to the JSON parser.
    #[test]
    fn an_oversized_set_is_refused_unread() {
        let padding = "x".repeat(MAX_DOCUMENT_BYTES);
        let body = JWKS.replacen('{', &format!(r#"{{"padding":"{padding}","#), 1);
        let e = parse_jwks(&body, &SerdeJson).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidIdToken);
        assert!(e.cause.unwrap().starts_with("larger than 100 KB"));
    }

    #[test]
    fn unreadable_set_keeps_the_body() {
        let e = parse_jwks("<html>nope</html>", &SerdeJson).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidIdToken);
        assert!(e.cause.unwrap().ends_with("<html>nope</html>"));
        assert!(parse_jwks(r#"{"keys":[{"kid":"no-kty"}]}"#, &SerdeJson).is_err());
    }

    /// Every member is read into its own field; `null` is absent.
    #[test]
    fn each_member_is_read_into_its_field() {
        let all = [
            ("kty", r#""K""#),
            ("kid", r#""i""#),
            ("alg", r#""a""#),
            ("use", r#""u""#),
            ("n", r#""n""#),
            ("e", r#""e""#),
            ("crv", r#""c""#),
            ("x", r#""x""#),
            ("y", r#""y""#),
        ];
        let text = |s: &str| Some(String::from(s));
        assert_eq!(
            Jwk::from_json(&object(&all), &SerdeJson),
            Ok(Jwk {
                kty: "K".into(),
                kid: text("i"),
                alg: text("a"),
                key_use: text("u"),
                n: text("n"),
                e: text("e"),
                crv: text("c"),
                x: text("x"),
                y: text("y"),
                json: object(&all),
            })
        );
        let mut nulls = vec![("kty", r#""K""#)];
        nulls.extend(all[1..].iter().map(|(name, _)| (*name, "null")));
        let key = Jwk::from_json(&object(&nulls), &SerdeJson).unwrap();
        assert_eq!((key.kid, key.key_use, key.y), (None, None, None));
    }

    /// The reader's error for a member of the wrong type or missing, word for word, and the
    /// member it names when several are wrong.
    #[test]
    fn a_wrongly_typed_or_missing_member_is_named() {
        let valid = [("kty", r#""RSA""#)];
        let string: &[&str] = &["1", "true", "[]", "{}", r#"["x"]"#];
        let typed: Vec<(&str, &str, &[&str])> =
            ["kty", "kid", "alg", "use", "n", "e", "crv", "x", "y"]
                .iter()
                .map(|name| (*name, "a string", string))
                .collect();
        assert_type_errors(|t| Jwk::from_json(t, &SerdeJson), &valid, &typed);
        assert_required(|t| Jwk::from_json(t, &SerdeJson), &valid, &["kty"]);
        assert_eq!(
            Jwk::from_json("null", &SerdeJson),
            Err("not a JSON object".into())
        );
        for (body, why) in [
            (
                r#"{"keys":[{"kty":"RSA"},{"kty":"EC","x":1}]}"#,
                "x is not a string",
            ),
            (r#"{"keys":[{"kty":"RSA"},7]}"#, "not a JSON object"),
            (r#"{"keys":{"kty":"RSA"}}"#, "keys is not an array"),
            (r#"{"keys":null}"#, "keys is not an array"),
            ("[]", "not a JSON object"),
        ] {
            let e = parse_jwks(body, &SerdeJson).unwrap_err();
            assert_eq!(e.cause, Some([why, ": ", body].concat()), "{body}");
        }
    }
}
