//! Provider metadata (OpenID Connect Discovery 1.0 §3, §4; RFC 8414 §2, §3).

use super::error::{ErrorCode, SigninError};
use super::json::{Json, JsonDecoder, Kind, MAX_DOCUMENT_BYTES, flag, listed, text, text_or_empty};
use super::pkce::S256;
use super::types::IssuerUrl;
use super::uri::HttpUrl;
use crate::protocol::text::fill;

/// The discovery document's URL: the issuer followed by `/.well-known/openid-configuration`
/// (OpenID Connect Discovery 1.0 §4.1), without doubling a trailing slash.
pub fn discovery_url(issuer: &IssuerUrl) -> String {
    let base = issuer.as_str();
    let mut end = base.len();
    while end > 0 && base.as_bytes()[end - 1] == b'/' {
        end -= 1;
    }
    fill("\u{1}/.well-known/openid-configuration", &[&base[..end]])
}

/// The provider metadata this crate uses (OpenID Connect Discovery 1.0 §3, RFC 8414 §2,
/// RFC 9207 §3). The lists of supported values are checked as the document is read
/// ([`parse_discovery`]) and not kept.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProviderMetadata {
    /// The issuer identifier, equal to the configured one.
    pub issuer: String,
    /// Where the browser is sent to sign in.
    pub authorization_endpoint: String,
    /// Where codes and refresh tokens are exchanged.
    pub token_endpoint: String,
    /// OpenID Connect UserInfo endpoint.
    pub userinfo_endpoint: Option<String>,
    /// The JSON Web Key Set for ID token signatures.
    pub jwks_uri: Option<String>,
    /// Token revocation (RFC 7009).
    pub revocation_endpoint: Option<String>,
    /// RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0).
    pub end_session_endpoint: Option<String>,
    /// Token introspection (RFC 7662).
    pub introspection_endpoint: Option<String>,
    /// Whether authorization responses carry `iss` (RFC 9207 §3); absent means `false`.
    pub authorization_response_iss_parameter_supported: bool,
}

/// The members [`ProviderMetadata`] reads, in the order they are checked.
const NAMES: &str = "issuer\u{1f}authorization_endpoint\u{1f}token_endpoint\u{1f}userinfo_endpoint\u{1f}jwks_uri\u{1f}revocation_endpoint\u{1f}end_session_endpoint\u{1f}introspection_endpoint\u{1f}scopes_supported\u{1f}response_types_supported\u{1f}grant_types_supported\u{1f}code_challenge_methods_supported\u{1f}id_token_signing_alg_values_supported\u{1f}authorization_response_iss_parameter_supported";

/// The kinds of [`NAMES`], one for each.
const KINDS: [Kind; 14] = [
    Kind::Str,
    Kind::Str,
    Kind::Str,
    Kind::Str,
    Kind::Str,
    Kind::Str,
    Kind::Str,
    Kind::Str,
    Kind::Strings,
    Kind::Strings,
    Kind::Strings,
    Kind::Strings,
    Kind::Strings,
    Kind::Bool,
];

impl ProviderMetadata {
    /// Reads the members this crate uses from JSON text `source`; absent ones are empty,
    /// wrongly typed ones an error. With the metadata come whether
    /// `response_types_supported` lacks `code` and whether `code_challenge_methods_supported`
    /// lacks [`S256`] (each `false` when not listed).
    fn from_json(source: &str, json: &impl JsonDecoder) -> Result<(Self, [bool; 2]), String> {
        let mut values = [None; 14];
        let members = json.parse(source, NAMES);
        members.read(&KINDS, &mut values)?;
        let [
            issuer,
            authorization_endpoint,
            token_endpoint,
            userinfo_endpoint,
            jwks_uri,
            revocation_endpoint,
            end_session_endpoint,
            introspection_endpoint,
            _,
            response_types_supported,
            _,
            code_challenge_methods_supported,
            _,
            authorization_response_iss_parameter_supported,
        ] = values;
        let lacks = [
            lacks(response_types_supported, "code"),
            lacks(code_challenge_methods_supported, S256),
        ];
        let meta = Self {
            issuer: text_or_empty(issuer),
            authorization_endpoint: text_or_empty(authorization_endpoint),
            token_endpoint: text_or_empty(token_endpoint),
            userinfo_endpoint: text(userinfo_endpoint),
            jwks_uri: text(jwks_uri),
            revocation_endpoint: text(revocation_endpoint),
            end_session_endpoint: text(end_session_endpoint),
            introspection_endpoint: text(introspection_endpoint),
            authorization_response_iss_parameter_supported: flag(
                authorization_response_iss_parameter_supported,
            ),
        };
        Ok((meta, lacks))
    }
}

/// Validates a discovery document (OpenID Connect Discovery 1.0 §3, §4.3; RFC 8414 §3.3).
///
/// A document over [`MAX_DOCUMENT_BYTES`] is refused unread (`invalid_discovery`).
/// The issuer, authorization endpoint and token endpoint are required, every endpoint must
/// be `https` without a fragment (plain `http` only on loopback hosts), and
/// `response_types_supported`, when listed, must include `code` (`invalid_discovery`). The
/// `issuer` must equal `expected_issuer` exactly (`issuer_mismatch`). When
/// `code_challenge_methods_supported` is listed it must include `S256`
/// (`pkce_not_supported`); when it is absent PKCE is used anyway, since a server without
/// PKCE ignores its parameters (RFC 7636 §5).
pub fn parse_discovery(
    body: &str,
    expected_issuer: &IssuerUrl,
    json: &impl JsonDecoder,
) -> Result<ProviderMetadata, SigninError> {
    let invalid = |why: &str| {
        SigninError::filled(
            ErrorCode::InvalidDiscovery,
            "The discovery document at \u{1} \u{1}: check the issuer or region attribute.",
            &[&discovery_url(expected_issuer), why],
        )
    };
    if body.len() > MAX_DOCUMENT_BYTES {
        return Err(invalid("is larger than 100 KB").with_body("", body));
    }
    let (meta, [lacks_code, lacks_s256]) = match ProviderMetadata::from_json(body, json) {
        Ok(meta) => meta,
        Err(e) => {
            return Err(invalid("is not valid provider metadata JSON").with_body(&e, body));
        }
    };
    if meta.issuer.is_empty()
        || meta.authorization_endpoint.is_empty()
        || meta.token_endpoint.is_empty()
    {
        return Err(
            invalid("lacks issuer, authorization_endpoint or token_endpoint").with_body("", body),
        );
    }
    if meta.issuer != expected_issuer.as_str() {
        return Err(SigninError::filled(
            ErrorCode::IssuerMismatch,
            "The discovery document names the issuer \"\u{1}\" but \"\u{1}\" was configured: issuers must match exactly, including any trailing slash.",
            &[&meta.issuer, expected_issuer.as_str()],
        ));
    }
    let endpoints = [
        Some(&meta.authorization_endpoint),
        Some(&meta.token_endpoint),
        meta.userinfo_endpoint.as_ref(),
        meta.jwks_uri.as_ref(),
        meta.revocation_endpoint.as_ref(),
        meta.end_session_endpoint.as_ref(),
        meta.introspection_endpoint.as_ref(),
    ];
    for endpoint in endpoints.iter().flatten() {
        let safe = HttpUrl::parse(endpoint).is_some_and(|u| u.trusted && !u.has_fragment);
        if !safe {
            return Err(invalid(&fill(
                "lists the endpoint \"\u{1}\", which is not an https URL",
                &[endpoint],
            )));
        }
    }
    if lacks_code {
        return Err(invalid(
            "does not support the authorization code flow (response type code)",
        ));
    }
    if lacks_s256 {
        return Err(SigninError::new(
            ErrorCode::PkceNotSupported,
            "The authorization server does not support PKCE with S256, which sign-in in the browser requires: exchange the code on your backend (the exchangeurl attribute or the anypoint-signin-code event).",
        ));
    }
    Ok(meta)
}

/// `true` when `list`, a member [`Members::check`](super::json::Members::check) found to be an
/// array of strings, is given and does not contain `value`.
fn lacks(list: Option<Json>, value: &str) -> bool {
    list.is_some() && !listed(list, value).0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::test_support::{SerdeJson, assert_type_errors, object};

    const ISSUER: &str = "https://as.example/oauth2";

    fn issuer() -> IssuerUrl {
        IssuerUrl::parse(ISSUER).unwrap()
    }

    fn doc(extra: &str) -> String {
        format!(
            r#"{{"issuer":"{ISSUER}",
                "authorization_endpoint":"https://as.example/oauth2/authorize",
                "token_endpoint":"https://as.example/oauth2/token"{extra}}}"#
        )
    }

    fn parse(body: &str) -> Result<ProviderMetadata, SigninError> {
        parse_discovery(body, &issuer(), &SerdeJson)
    }

    #[test]
    fn url_without_double_slash() {
        let expected = "https://as.example/oauth2/.well-known/openid-configuration";
        assert_eq!(discovery_url(&issuer()), expected);
        let slash = IssuerUrl::parse("https://as.example/oauth2/").unwrap();
        assert_eq!(discovery_url(&slash), expected);
        let slashes = IssuerUrl::parse("https://as.example/oauth2//").unwrap();
        assert_eq!(discovery_url(&slashes), expected);
        let root = IssuerUrl::parse("https://as.example/").unwrap();
        assert_eq!(
            discovery_url(&root),
            "https://as.example/.well-known/openid-configuration"
        );
    }

    #[test]
    fn full_document() {
        let m = parse(&doc(
            r#","userinfo_endpoint":"https://as.example/oauth2/userinfo",
               "jwks_uri":"https://as.example/oauth2/jwks",
               "response_types_supported":["code","token"],
               "code_challenge_methods_supported":["plain","S256"],
               "id_token_signing_alg_values_supported":["RS256"],
               "authorization_response_iss_parameter_supported":true,
               "unknown_field":{"nested":[1,2]}"#,
        ))
        .unwrap();
        assert_eq!(m.issuer, ISSUER);
        assert_eq!(m.token_endpoint, "https://as.example/oauth2/token");
        assert_eq!(
            m.jwks_uri.as_deref(),
            Some("https://as.example/oauth2/jwks")
        );
        assert!(m.authorization_response_iss_parameter_supported);
    }

    #[test]
    fn minimal_document_defaults() {
        let m = parse(&doc("")).unwrap();
        assert!(!m.authorization_response_iss_parameter_supported);
        assert_eq!(m.revocation_endpoint, None);
    }

    #[test]
    fn issuer_mismatch_names_both() {
        let body = doc("").replace(ISSUER, "https://evil.example/oauth2");
        let e = parse(&body).unwrap_err();
        assert_eq!(e.code, ErrorCode::IssuerMismatch);
        assert!(e.description.contains("\"https://evil.example/oauth2\""));
        assert!(e.description.contains(&format!("\"{ISSUER}\"")));
        let slash = doc("").replace(&format!("\"{ISSUER}\""), &format!("\"{ISSUER}/\""));
        assert_eq!(parse(&slash).unwrap_err().code, ErrorCode::IssuerMismatch);
    }

    #[test]
    fn http_endpoints_are_rejected() {
        let body = doc("").replace(
            "https://as.example/oauth2/token",
            "http://as.example/oauth2/token",
        );
        let e = parse(&body).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidDiscovery);
        assert!(e.description.contains("http://as.example/oauth2/token"));
        let e = parse(&doc(r#","userinfo_endpoint":"http://as.example/u""#)).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidDiscovery);
        let e = parse(&doc(r#","jwks_uri":"https://as.example/jwks#k""#)).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidDiscovery);
    }

    #[test]
    fn loopback_http_is_allowed() {
        let issuer = IssuerUrl::parse("http://localhost:4000/oauth2").unwrap();
        let body = r#"{"issuer":"http://localhost:4000/oauth2",
            "authorization_endpoint":"http://localhost:4000/oauth2/authorize",
            "token_endpoint":"http://127.0.0.1:4000/oauth2/token"}"#;
        assert!(parse_discovery(body, &issuer, &SerdeJson).is_ok());
    }

    /// Regression: a discovery document of any size was handed to the JSON parser.
    #[test]
    fn an_oversized_document_is_refused_unread() {
        let padding = "x".repeat(MAX_DOCUMENT_BYTES);
        let e = parse(&doc(&format!(r#","padding":"{padding}""#))).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidDiscovery);
        assert!(e.description.contains("100 KB"));
    }

    #[test]
    fn missing_s256() {
        let e = parse(&doc(r#","code_challenge_methods_supported":["plain"]"#)).unwrap_err();
        assert_eq!(e.code, ErrorCode::PkceNotSupported);
    }

    #[test]
    fn missing_code_response_type() {
        let e = parse(&doc(r#","response_types_supported":["id_token"]"#)).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidDiscovery);
    }

    #[test]
    fn garbage_keeps_the_body() {
        let e = parse("<html>Not Found</html>").unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidDiscovery);
        assert!(e.cause.unwrap().ends_with("<html>Not Found</html>"));
        let no_issuer = doc("").replace(&format!(r#""issuer":"{ISSUER}","#), "");
        assert_eq!(
            parse(&no_issuer).unwrap_err().code,
            ErrorCode::InvalidDiscovery
        );
        let e = parse(r#"{"issuer":"https://as.example/oauth2"}"#).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidDiscovery);
        assert_eq!(
            e.cause.as_deref(),
            Some(r#"{"issuer":"https://as.example/oauth2"}"#)
        );
        let body = doc(r#","scopes_supported":"openid""#);
        let e = parse(&body).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidDiscovery);
        assert_eq!(
            e.cause,
            Some(["scopes_supported is not an array of strings: ", &body].concat())
        );
    }

    /// Every member is read into its own field; `null` is absent.
    #[test]
    fn each_member_is_read_into_its_field() {
        let all = [
            ("issuer", r#""i""#),
            ("authorization_endpoint", r#""a""#),
            ("token_endpoint", r#""t""#),
            ("userinfo_endpoint", r#""u""#),
            ("jwks_uri", r#""j""#),
            ("revocation_endpoint", r#""r""#),
            ("end_session_endpoint", r#""e""#),
            ("introspection_endpoint", r#""n""#),
            ("scopes_supported", r#"["s1","s2"]"#),
            ("response_types_supported", r#"["code"]"#),
            ("grant_types_supported", "[]"),
            ("code_challenge_methods_supported", r#"["S256"]"#),
            (
                "id_token_signing_alg_values_supported",
                r#"["RS256","ES256"]"#,
            ),
            ("authorization_response_iss_parameter_supported", "true"),
        ];
        assert_eq!(
            ProviderMetadata::from_json(&object(&all), &SerdeJson),
            Ok((
                ProviderMetadata {
                    issuer: "i".into(),
                    authorization_endpoint: "a".into(),
                    token_endpoint: "t".into(),
                    userinfo_endpoint: Some("u".into()),
                    jwks_uri: Some("j".into()),
                    revocation_endpoint: Some("r".into()),
                    end_session_endpoint: Some("e".into()),
                    introspection_endpoint: Some("n".into()),
                    authorization_response_iss_parameter_supported: true,
                },
                [false, false]
            ))
        );
        let nulls: Vec<_> = all.iter().map(|(name, _)| (*name, "null")).collect();
        let read = ProviderMetadata::from_json(&object(&nulls), &SerdeJson);
        assert_eq!(read, Ok((ProviderMetadata::default(), [false, false])));
        let no = object(&[("authorization_response_iss_parameter_supported", "false")]);
        assert_eq!(
            ProviderMetadata::from_json(&no, &SerdeJson),
            Ok((ProviderMetadata::default(), [false, false]))
        );
        // The lists are checked, not kept: `code` and `S256` are looked for in each.
        let lists = |types: &'static str, methods: &'static str| {
            let members = [
                ("response_types_supported", types),
                ("code_challenge_methods_supported", methods),
            ];
            ProviderMetadata::from_json(&object(&members), &SerdeJson).map(|(_, lacks)| lacks)
        };
        assert_eq!(
            lists(r#"["token","code"]"#, r#"["plain","S256"]"#),
            Ok([false, false])
        );
        assert_eq!(lists(r#"["token"]"#, r#"["S256"]"#), Ok([true, false]));
        assert_eq!(lists(r#"["code"]"#, r#"["plain"]"#), Ok([false, true]));
        assert_eq!(lists("[]", "[]"), Ok([true, true]));
        assert_eq!(lists(r#"["CODE"]"#, r#"["s256"]"#), Ok([true, true]));
    }

    /// The reader's error for a member of the wrong type, word for word, and the member it
    /// names when several are wrong.
    #[test]
    fn a_wrongly_typed_member_is_named() {
        let string: &[&str] = &["1", "true", "[]", "{}", r#"["x"]"#];
        let list: &[&str] = &[r#""code""#, r#"["code",1]"#, "[null]", "{}", "true", "0"];
        let flag: &[&str] = &[r#""true""#, "1", "[]", "{}"];
        let mut typed: Vec<(&str, &str, &[&str])> = [
            "issuer",
            "authorization_endpoint",
            "token_endpoint",
            "userinfo_endpoint",
            "jwks_uri",
            "revocation_endpoint",
            "end_session_endpoint",
            "introspection_endpoint",
        ]
        .iter()
        .map(|name| (*name, "a string", string))
        .collect();
        typed.extend(
            [
                "scopes_supported",
                "response_types_supported",
                "grant_types_supported",
                "code_challenge_methods_supported",
                "id_token_signing_alg_values_supported",
            ]
            .iter()
            .map(|name| (*name, "an array of strings", list)),
        );
        typed.push((
            "authorization_response_iss_parameter_supported",
            "true or false",
            flag,
        ));
        assert_type_errors(|t| ProviderMetadata::from_json(t, &SerdeJson), &[], &typed);
        assert_eq!(
            ProviderMetadata::from_json("[]", &SerdeJson),
            Err("not a JSON object".into())
        );
    }
}
