//! The token request and response (RFC 6749 §4.1.3, §4.1.4, §5.1, §5.2, §6; RFC 7636 §4.5).

use super::error::{ErrorCode, SigninError, more_information, truncate_body};
use super::json::{Json, JsonDecoder, Kind, seconds, text as owned_text};
use super::pkce::PkceVerifier;
use super::stored;
use super::types::{AccessToken, AuthorizationCode, IdToken, RefreshToken};
use crate::protocol::text::{eq_ignore_ascii_case, look_up};

/// The form-urlencoded body of the authorization code token request for a public client
/// (RFC 6749 §4.1.3, RFC 7636 §4.5).
///
/// `redirect_uri` and `client_id` are plain strings because they come back from the stored
/// [`Transaction`](super::transaction::Transaction); `redirect_uri` must be exactly the one
/// sent in the authorization request.
pub fn authorization_code_body(
    code: &AuthorizationCode,
    redirect_uri: &str,
    client_id: &str,
    verifier: &PkceVerifier,
) -> String {
    stored::write(
        "grant_type\u{1f}code\u{1f}redirect_uri\u{1f}client_id\u{1f}code_verifier",
        &[
            Some("authorization_code"),
            Some(code.secret()),
            Some(redirect_uri),
            Some(client_id),
            Some(verifier.secret()),
        ],
    )
}

/// The form-urlencoded body of a revocation request for a public client (RFC 7009 §2.1):
/// `token`, `token_type_hint` (`refresh_token` or `access_token`) and `client_id`.
pub fn revocation_body(token: &str, token_type_hint: &str, client_id: &str) -> String {
    stored::write(
        "token\u{1f}token_type_hint\u{1f}client_id",
        &[Some(token), Some(token_type_hint), Some(client_id)],
    )
}

/// Whether `error` is the token endpoint refusing a refresh token (RFC 6749 §5.2
/// `invalid_grant`): expired, revoked, or already rotated away. Retrying cannot help.
pub fn is_invalid_grant(error: &SigninError) -> bool {
    error.code == ErrorCode::TokenError && matches!(error.cause.as_deref(), Some("invalid_grant"))
}

/// The form-urlencoded body of a refresh request for a public client (RFC 6749 §6); `scope`
/// (space-separated) narrows the grant and is omitted to keep the original scopes.
pub fn refresh_token_body(
    refresh_token: &RefreshToken,
    client_id: &str,
    scope: Option<&str>,
) -> String {
    stored::write(
        "grant_type\u{1f}refresh_token\u{1f}client_id\u{1f}scope",
        &[
            Some("refresh_token"),
            Some(refresh_token.secret()),
            Some(client_id),
            scope,
        ],
    )
}

/// A successful token response (RFC 6749 §5.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenResponse {
    /// The access token.
    pub access_token: AccessToken,
    /// The token type as the server spelled it; always `Bearer` in some letter case.
    pub token_type: String,
    /// Lifetime of the access token in seconds.
    pub expires_in: Option<u64>,
    /// A refresh token, e.g. when `offline_access` was granted.
    pub refresh_token: Option<RefreshToken>,
    /// The granted scopes when they differ from those requested (RFC 6749 §3.3).
    pub scope: Option<String>,
    /// The OpenID Connect ID token.
    pub id_token: Option<IdToken>,
}

/// The members of a token response, in the order they are checked: both shapes at once,
/// since some servers answer errors with status 200.
const NAMES: &str = "access_token\u{1f}token_type\u{1f}expires_in\u{1f}refresh_token\u{1f}scope\u{1f}id_token\u{1f}error\u{1f}error_description\u{1f}error_uri";

/// The kinds of [`NAMES`], one for each.
const KINDS: [Kind; 9] = [
    Kind::Str,
    Kind::Str,
    Kind::SecondsOrDigits,
    Kind::Str,
    Kind::Str,
    Kind::Str,
    Kind::Str,
    Kind::Str,
    Kind::Str,
];

/// Longest access token lifetime accepted, in seconds (a year): Anypoint's end with the
/// user's session (3 hours at most), and a larger `expires_in` would keep a dead token
/// "fresh" for ever instead of renewing it.
pub const MAX_EXPIRES_IN_SECS: u64 = 366 * 24 * 3600;

/// Validates a token endpoint response (RFC 6749 §5.1 success, §5.2 error) given its HTTP
/// status (its three digits, as the error sentences quote it) and body.
///
/// Only `Bearer` tokens (RFC 6750 §4, any letter case) with an `expires_in` of at most
/// [`MAX_EXPIRES_IN_SECS`] are accepted. An OAuth error gives
/// `token_error` with the error code as cause. A body that is not JSON or lacks required
/// fields gives `invalid_token_response` with the truncated body as cause, unless the body
/// mentions a name ending in `_token`, as each member holding a token does: tokens never
/// travel in an error.
pub fn parse_token_response(
    status: &str,
    body: &str,
    json: &impl JsonDecoder,
) -> Result<TokenResponse, SigninError> {
    let parsed = json.parse(body, NAMES);
    // Each way of not being a token response breaks out with its reason, told in one
    // sentence.
    let mut detail = String::new();
    let why = 'invalid: {
        // The members stay borrowed from the parsed value until every check has passed.
        let mut values = [None; 9];
        if let Err(e) = parsed.read(&KINDS, &mut values) {
            detail = e;
            break 'invalid "a body that is not a JSON token response";
        }
        let [
            access_token,
            token_type,
            expires_in,
            refresh_token,
            scope,
            id_token,
            error,
            error_description,
            error_uri,
        ] = values;
        let text = |value: Option<_>| value.and_then(Json::as_str);
        if let Some(error) = text(error) {
            return Err(token_error(error, text(error_description), text(error_uri)));
        }
        if !successful(status) {
            break 'invalid "an error status but no OAuth error code";
        }
        let (Some(access_token), Some(token_type)) = (text(access_token), text(token_type)) else {
            break 'invalid "no access_token or no token_type";
        };
        if !eq_ignore_ascii_case(token_type, "bearer") {
            return Err(SigninError::filled(
                ErrorCode::InvalidTokenResponse,
                "The token endpoint issued a token of type \"\u{1}\"; only Bearer tokens are supported.",
                &[token_type],
            ));
        }
        let expires_in = seconds(expires_in);
        if expires_in.is_some_and(|s| s > MAX_EXPIRES_IN_SECS) {
            break 'invalid "an expires_in of more than a year";
        }
        return Ok(TokenResponse {
            access_token: AccessToken::new(access_token.into()),
            token_type: token_type.into(),
            expires_in,
            refresh_token: owned_text(refresh_token).map(RefreshToken::new),
            scope: owned_text(scope),
            id_token: owned_text(id_token).map(IdToken::new),
        });
    };
    // JSON may spell a member name with escapes (`"acc\u0065ss_token"`), so the JSON text
    // the runner wrote of the value (names and strings without escapes) counts as well as
    // the body.
    let cause = if mentions_token(body) || mentions_token(parsed.json()) {
        let mut withheld = String::from("(body withheld: it may contain tokens)");
        if !detail.is_empty() {
            withheld.push(' ');
            withheld.push_str(&detail);
        }
        withheld
    } else {
        truncate_body(body)
    };
    Err(SigninError::filled(
        ErrorCode::InvalidTokenResponse,
        "The token endpoint answered HTTP \u{1} with \u{1}.",
        &[status, why],
    )
    .with_cause(cause))
}

/// Whether `text` holds [`TOKEN_MARK`] anywhere.
fn mentions_token(text: &str) -> bool {
    // Each byte's rest taken by a pattern: no index into the text to check.
    let mut rest = text.as_bytes();
    loop {
        if rest.starts_with(TOKEN_MARK.as_bytes()) {
            return true;
        }
        let [_, more @ ..] = rest else {
            return false;
        };
        rest = more;
    }
}

/// Whether an HTTP status, as its three digits, is a success (2xx).
pub fn successful(status: &str) -> bool {
    matches!(status.as_bytes(), [b'2', _, _])
}

/// The members of a token response that hold tokens.
#[cfg(test)]
const TOKEN_MEMBERS: [&str; 3] = ["access_token", "refresh_token", "id_token"];

/// What the name of each member that holds a token (`access_token`, `refresh_token`,
/// `id_token`) ends with: a text that holds it may hold a token, and is not shown in an
/// error.
const TOKEN_MARK: &str = "_token";

/// The OAuth error codes of the token endpoint (RFC 6749 §5.2) that have a hint, each
/// followed by the hint, each ended by U+001F ([`look_up`]'s table).
const TOKEN_ERROR_HINTS: &str = concat!(
    "invalid_grant\u{1f}",
    " The code or refresh token is expired, revoked or already used, or the redirect URI or PKCE verifier does not match the authorization request.\u{1f}",
    "invalid_client\u{1f}",
    " Check the clientid attribute, and that the connected app is a public client that may exchange codes without a secret.\u{1f}",
    "unauthorized_client\u{1f}",
    " Enable this grant type for the connected app.\u{1f}",
    "invalid_scope\u{1f}",
    " Request only scopes the connected app has.\u{1f}",
);

/// An OAuth error from the token endpoint (RFC 6749 §5.2) as a sentence with a hint.
fn token_error(error: &str, description: Option<&str>, uri: Option<&str>) -> SigninError {
    let hint = look_up(TOKEN_ERROR_HINTS, error).map_or("", |(_, hint)| hint);
    let mut text = String::from("The token endpoint refused the request: ");
    text.push_str(error);
    if let Some(d) = description {
        text.push_str(" (");
        text.push_str(d);
        text.push(')');
    }
    text.push('.');
    text.push_str(hint);
    more_information(&mut text, uri);
    SigninError::new(ErrorCode::TokenError, text).with_cause(error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::test_support::{SerdeJson, assert_type_errors, object};

    fn parse(status: u16, body: &str) -> Result<TokenResponse, SigninError> {
        parse_token_response(&status.to_string(), body, &SerdeJson)
    }

    #[test]
    fn code_body() {
        let body = authorization_code_body(
            &AuthorizationCode::new("c/d+e".into()),
            "https://app.example.com/cb?x=1",
            "abc",
            &PkceVerifier::from_random(&[0; 32]),
        );
        assert_eq!(
            body,
            "grant_type=authorization_code&code=c%2Fd%2Be\
             &redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb%3Fx%3D1&client_id=abc\
             &code_verifier=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        );
    }

    #[test]
    fn refresh_body() {
        let rt = RefreshToken::new("r t".into());
        assert_eq!(
            refresh_token_body(&rt, "abc", None),
            "grant_type=refresh_token&refresh_token=r+t&client_id=abc"
        );
        assert_eq!(
            refresh_token_body(&rt, "abc", Some("openid read:full")),
            "grant_type=refresh_token&refresh_token=r+t&client_id=abc&scope=openid+read%3Afull"
        );
    }

    #[test]
    fn success() {
        let t = parse(
            200,
            r#"{"access_token":"at","token_type":"bearer","expires_in":3600,
                "refresh_token":"rt","scope":"openid full","id_token":"a.b.c","extra":true}"#,
        )
        .unwrap();
        assert_eq!(t.access_token.secret(), "at");
        assert_eq!(t.token_type, "bearer");
        assert_eq!(t.expires_in, Some(3600));
        assert_eq!(t.refresh_token.unwrap().secret(), "rt");
        assert_eq!(t.scope.as_deref(), Some("openid full"));
        assert_eq!(t.id_token.unwrap().secret(), "a.b.c");
    }

    #[test]
    fn minimal_success_and_string_lifetime() {
        let t = parse(
            201,
            r#"{"access_token":"at","token_type":"Bearer","expires_in":"60"}"#,
        );
        let t = t.unwrap();
        assert_eq!(t.expires_in, Some(60));
        assert!(t.refresh_token.is_none() && t.id_token.is_none() && t.scope.is_none());
    }

    #[test]
    fn oauth_error() {
        let e = parse(
            400,
            r#"{"error":"invalid_grant","error_description":"code expired"}"#,
        )
        .unwrap_err();
        assert_eq!(e.code, ErrorCode::TokenError);
        assert_eq!(e.cause.as_deref(), Some("invalid_grant"));
        assert!(e.description.starts_with(
            "The token endpoint refused the request: invalid_grant (code expired). The code"
        ));
        let e = parse(200, r#"{"error":"invalid_client"}"#).unwrap_err();
        assert_eq!(e.code, ErrorCode::TokenError);
        assert!(e.description.contains("public client"));
    }

    #[test]
    fn each_token_error_with_a_hint_gets_its_own() {
        for (error, hint) in [
            (
                "invalid_grant",
                " The code or refresh token is expired, revoked or already used, or the redirect URI or PKCE verifier does not match the authorization request.",
            ),
            (
                "invalid_client",
                " Check the clientid attribute, and that the connected app is a public client that may exchange codes without a secret.",
            ),
            (
                "unauthorized_client",
                " Enable this grant type for the connected app.",
            ),
            (
                "invalid_scope",
                " Request only scopes the connected app has.",
            ),
            ("invalid_request", ""),
            // A hint is never taken for a code.
            (" Request only scopes the connected app has.", ""),
        ] {
            let e = parse(400, &object(&[("error", &format!("{error:?}"))])).unwrap_err();
            assert_eq!(
                e.description,
                format!("The token endpoint refused the request: {error}.{hint}")
            );
            assert_eq!(e.cause.as_deref(), Some(error));
        }
    }

    #[test]
    fn garbage_keeps_the_body() {
        let html = "<html>502 Bad Gateway</html>";
        let e = parse(502, html).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidTokenResponse);
        assert_eq!(e.cause.as_deref(), Some(html));
        assert!(e.description.contains("HTTP 502"));
        let e = parse(500, r#"{"message":"boom"}"#).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidTokenResponse);
        assert_eq!(e.cause.as_deref(), Some(r#"{"message":"boom"}"#));
        let long = "x".repeat(2000);
        assert_eq!(
            parse(500, &long)
                .unwrap_err()
                .cause
                .unwrap()
                .chars()
                .count(),
            501
        );
    }

    #[test]
    fn missing_fields() {
        for body in [
            r#"{"token_type":"Bearer"}"#,
            r#"{"access_token":"secret-at"}"#,
        ] {
            let e = parse(200, body).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidTokenResponse, "{body}");
            assert!(!e.cause.unwrap_or_default().contains("secret-at"), "{body}");
        }
    }

    #[test]
    fn tokens_never_leak_into_errors() {
        let body = r#"{"access_token":"secret-at","token_type":"Bearer","expires_in":"soon"}"#;
        let e = parse(200, body).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidTokenResponse);
        assert!(!format!("{e:?}").contains("secret-at"));
        assert!(
            e.cause.unwrap().contains("\"soon\""),
            "the parser's reason is kept"
        );
        let e = parse(500, r#"{"refresh_token":"secret-rt"}"#).unwrap_err();
        assert_eq!(
            e.cause.as_deref(),
            Some("(body withheld: it may contain tokens)")
        );
    }

    #[test]
    fn a_body_that_is_not_json_but_names_a_token_is_withheld() {
        for body in [
            "id_token",
            "<p>access_token=secret",
            "oops: refresh_token",
            "xid_tokenx",
        ] {
            let cause = parse(502, body).unwrap_err().cause.unwrap();
            assert!(
                cause.starts_with("(body withheld: it may contain tokens) ")
                    && !cause.contains(body),
                "{body}: {cause}"
            );
        }
        // Any name ending as a token member's does, which covers each of them.
        for name in TOKEN_MEMBERS {
            assert!(name.ends_with(TOKEN_MARK), "{name}");
        }
        let cause = parse(401, r#"{"message":"invalid_token"}"#)
            .unwrap_err()
            .cause;
        assert_eq!(
            cause.as_deref(),
            Some("(body withheld: it may contain tokens)")
        );
        let e = parse(502, "id_toke").unwrap_err();
        assert_eq!(e.cause.as_deref(), Some("id_toke"));
    }

    /// Found by fuzz/fuzz_targets/token_response.rs: a token whose member name is spelled
    /// with JSON escapes was copied into the error's cause with the body.
    #[test]
    fn token_behind_escaped_member_name_is_withheld() {
        for (status, body) in [
            (
                200,
                r#"{"\u0061ccess_token":"secret^at^1","tok~n_type":"Bearer"}"#,
            ),
            (
                400,
                r#"{"\u0061ccess_token":"secret^at^1","token_type":"Bearer"}"#,
            ),
            (500, r#"{"data":[{"refresh_tok\u0065n":"secret^rt^1"}]}"#),
        ] {
            let e = parse(status, body).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidTokenResponse, "{body}");
            assert!(!format!("{e:?}").contains("secret^"), "{body}: {e:?}");
        }
        // Each of TOKEN_MEMBERS, with its first letter escaped, deep in an error body.
        for name in TOKEN_MEMBERS {
            let escaped = format!("\\u{:04x}{}", name.as_bytes()[0], &name[1..]);
            let body = format!(r#"{{"data":[{{"{escaped}":"secret^1"}}]}}"#);
            let e = parse(500, &body).unwrap_err();
            assert!(!format!("{e:?}").contains("secret^"), "{body}: {e:?}");
        }
    }

    /// A token name spelled with escapes is found in the JSON text the decoder wrote of
    /// the body, wherever it is: a name, a string, deep or not; without one, the body is
    /// shown.
    #[test]
    fn an_escaped_token_name_anywhere_withholds_the_body() {
        for body in [
            r#"{"error":7,"x":"\u0069d_token"}"#,
            r#"[{"a":["refresh\u005ftoken expired"]}]"#,
            r#"{"data":{"acc\u0065ss_token":1}}"#,
        ] {
            let cause = parse(400, body).unwrap_err().cause.unwrap();
            assert!(
                cause.starts_with("(body withheld: it may contain tokens)"),
                "{body}: {cause}"
            );
        }
        let body = r#"{"error":7,"x":"\u0069d_toke"}"#;
        assert_eq!(parse(400, body).unwrap_err().cause.as_deref(), Some(body));
    }

    #[test]
    fn non_bearer_is_rejected() {
        let e = parse(200, r#"{"access_token":"secret-at","token_type":"DPoP"}"#).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidTokenResponse);
        assert!(e.description.contains("\"DPoP\""));
        assert!(!format!("{e:?}").contains("secret-at"));
    }

    /// Regression: any `expires_in` below 2^64 was taken, so a server saying "for ever"
    /// left a dead token "fresh" and never renewed it.
    #[test]
    fn a_lifetime_of_more_than_a_year_is_refused() {
        let body = |expires_in: &str| {
            format!(r#"{{"access_token":"at","token_type":"Bearer","expires_in":{expires_in}}}"#)
        };
        assert!(parse(200, &body(&MAX_EXPIRES_IN_SECS.to_string())).is_ok());
        for huge in ["31622401", "1e18", "\"18446744073709551615\""] {
            let e = parse(200, &body(huge)).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidTokenResponse, "{huge}");
        }
    }

    #[test]
    fn revocation_body_names_the_token_and_client() {
        assert_eq!(
            revocation_body("rt/+=", "refresh_token", "app 1"),
            "token=rt%2F%2B%3D&token_type_hint=refresh_token&client_id=app+1"
        );
    }

    #[test]
    fn successful_statuses_are_three_digits_from_2() {
        for status in ["200", "201", "204", "299"] {
            assert!(successful(status), "{status}");
        }
        for status in ["199", "300", "302", "404", "500", "2", "20", "2000", ""] {
            assert!(!successful(status), "{status}");
        }
        // The sentence quotes the status as it came.
        let e = parse_token_response("502", "<html>", &SerdeJson).unwrap_err();
        assert!(e.description.contains("HTTP 502 with"), "{}", e.description);
    }

    #[test]
    fn invalid_grant_is_recognised_only_from_the_token_endpoint() {
        let refused = parse_token_response("400", r#"{"error":"invalid_grant"}"#, &SerdeJson);
        assert!(is_invalid_grant(&refused.unwrap_err()));
        let other = parse_token_response("400", r#"{"error":"invalid_request"}"#, &SerdeJson);
        assert!(!is_invalid_grant(&other.unwrap_err()));
    }

    /// The reader's reason for refusing JSON `text`, as the cause of
    /// `invalid_token_response` shows it when the body mentions a token.
    fn reader(text: &str) -> Result<(), String> {
        let mut values = [None; 9];
        SerdeJson.parse(text, NAMES).read(&KINDS, &mut values)
    }

    /// Every member is read into its own field; `null` is absent.
    #[test]
    fn each_member_is_read_into_its_field() {
        let t = parse(
            200,
            r#"{"access_token":"at","token_type":"Bearer","expires_in":3600.9,
                "refresh_token":"rt","scope":"s","id_token":"it"}"#,
        );
        assert_eq!(
            t,
            Ok(TokenResponse {
                access_token: AccessToken::new("at".into()),
                token_type: "Bearer".into(),
                expires_in: Some(3600),
                refresh_token: Some(RefreshToken::new("rt".into())),
                scope: Some("s".into()),
                id_token: Some(IdToken::new("it".into())),
            })
        );
        for (lifetime, secs) in [(r#""60""#, 60), ("0", 0), ("-0", 0), (r#""+7""#, 7)] {
            let body =
                format!(r#"{{"access_token":"at","token_type":"Bearer","expires_in":{lifetime}}}"#);
            assert_eq!(
                parse(200, &body).unwrap().expires_in,
                Some(secs),
                "{lifetime}"
            );
        }
        let t = parse(
            200,
            r#"{"access_token":"at","token_type":"Bearer","expires_in":null,
                "refresh_token":null,"scope":null,"id_token":null,
                "error":null,"error_description":null,"error_uri":null}"#,
        )
        .unwrap();
        assert_eq!(
            (t.expires_in, t.refresh_token, t.scope, t.id_token),
            (None, None, None, None)
        );
        let e = parse(
            200,
            r#"{"access_token":"at","token_type":"Bearer",
                "error":"e","error_description":"ed","error_uri":"eu"}"#,
        )
        .unwrap_err();
        assert_eq!(
            (e.code, e.description.as_str(), e.cause.as_deref()),
            (
                ErrorCode::TokenError,
                "The token endpoint refused the request: e (ed). More information: eu",
                Some("e")
            )
        );
    }

    /// The reader's error for a member of the wrong type, word for word, and the member it
    /// names when several are wrong.
    #[test]
    fn a_wrongly_typed_member_is_named() {
        let string: &[&str] = &["1", "true", "[]", "{}", r#"["x"]"#];
        let seconds: &[&str] = &[
            "-1",
            "true",
            "[]",
            "{}",
            "-0.5",
            "1e30",
            "18446744073709551616",
        ];
        let mut typed: Vec<(&str, &str, &[&str])> = vec![
            ("access_token", "a string", string),
            ("token_type", "a string", string),
            ("expires_in", "a non-negative number of seconds", seconds),
        ];
        typed.extend(
            [
                "refresh_token",
                "scope",
                "id_token",
                "error",
                "error_description",
                "error_uri",
            ]
            .iter()
            .map(|name| (*name, "a string", string)),
        );
        assert_type_errors(reader, &[], &typed);
        let strings = ["soon", "-1", "1.5", "", " 1", "18446744073709551616"];
        for digits in strings {
            let value = ["\"", digits, "\""].concat();
            let e = reader(&object(&[("expires_in", &value), ("error", "1")]));
            let quoted = ["expires_in is not a number of seconds: ", &value].concat();
            assert_eq!(e, Err(quoted), "{digits}");
        }
        assert_eq!(reader("null"), Err("not a JSON object".into()));
        let e = parse(200, r#"{"access_token":"at","token_type":7}"#).unwrap_err();
        assert_eq!(
            e.cause.as_deref(),
            Some("(body withheld: it may contain tokens) token_type is not a string")
        );
    }
}
