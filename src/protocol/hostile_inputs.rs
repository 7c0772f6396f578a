//! The hostile-input table: named attacks on every input the protocol core reads, one row
//! each, with the exact error code the attack must end in. Each row runs the input through
//! the steps the element takes with it (a callback is parsed, matched with the pending
//! sign-in and checked for its issuer; an ID token is decoded, its key chosen and its claims
//! validated), must not panic, and must fail with that code. The browser runs the same kinds
//! of attack through the element against the mock server (`tests/hostile_inputs.rs`).

use std::panic::{AssertUnwindSafe, catch_unwind};

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::base64url::encode;
use super::test_support::{SerdeJson, jwt};
use super::*;

const ISSUER: &str = "https://as.example/oauth2";
const CLIENT: &str = "client";
const STATE: &str = "s1";
const NOW: u64 = 1_700_000_000;
const RS256: &str = r#"{"alg":"RS256","kid":"r1","typ":"JWT"}"#;
/// The provider's keys: RS256 keys `r1` (sig, RS256) and `r2`, an ES256 key, a key for
/// encryption and one for RS384.
const JWKS: &str = r#"{"keys":[
    {"kty":"RSA","kid":"r1","use":"sig","alg":"RS256","n":"AQAB","e":"AQAB"},
    {"kty":"RSA","kid":"r2","n":"AQAB","e":"AQAB"},
    {"kty":"EC","kid":"e1","crv":"P-256","x":"AA","y":"AA"},
    {"kty":"RSA","kid":"enc","use":"enc","n":"AQAB","e":"AQAB"},
    {"kty":"RSA","kid":"rs384","alg":"RS384","n":"AQAB","e":"AQAB"}]}"#;

/// One input, and what the element does with it.
enum Input {
    /// Callback parameters, for the pending sign-in `STATE` of an issuer that promises `iss`.
    Callback(String),
    /// Callback parameters for a sign-in started 11 minutes ago.
    LateCallback(String),
    /// A token endpoint answer: status and body.
    Token(u16, String),
    /// An ID token from a sign-in with nonce `n1`, checked against [`JWKS`].
    IdToken(String),
    /// The document at `jwks_uri`, then the key for an RS256 token of `kid` `r1`.
    Jwks(String),
    /// A discovery document for [`ISSUER`].
    Discovery(String),
    /// One attribute with this value on an otherwise valid element.
    Attribute(&'static str, String),
    /// The subject of a loaded profile when the ID token's is `u1`.
    Profile(Option<&'static str>),
}

struct Attack {
    name: &'static str,
    input: Input,
    expected: &'static str,
}

fn attack(name: &'static str, input: Input, expected: &'static str) -> Attack {
    Attack {
        name,
        input,
        expected,
    }
}

fn run(input: &Input) -> Result<(), SigninError> {
    match input {
        Input::Callback(params) | Input::LateCallback(params) => {
            let mut callback = parse_callback(params)?;
            let created = match input {
                Input::LateCallback(_) => NOW - 11 * 60,
                _ => NOW - 30,
            };
            pending(created).check_matches(callback.state.as_str(), NOW)?;
            callback.checked_code(ISSUER, true).map(drop)
        }
        Input::Token(status, body) => {
            parse_token_response(&status.to_string(), body, &SerdeJson).map(drop)
        }
        Input::IdToken(token) => {
            let (_, header, claims, _) = decode_id_token(token, &SerdeJson)?;
            select_key(&parse_jwks(JWKS, &SerdeJson)?, &header)?;
            validate_claims(
                &claims,
                &ClaimChecks {
                    issuer: ISSUER,
                    client_id: CLIENT,
                    binding: Binding::Nonce("n1"),
                    now_secs: NOW,
                    clock_skew_secs: 300,
                },
            )
        }
        Input::Jwks(body) => {
            let header = JwtHeader {
                alg: "RS256".into(),
                kid: Some("r1".into()),
                typ: None,
            };
            select_key(&parse_jwks(body, &SerdeJson)?, &header).map(drop)
        }
        Input::Discovery(body) => {
            parse_discovery(body, &IssuerUrl::parse(ISSUER)?, &SerdeJson).map(drop)
        }
        Input::Attribute(name, value) => attribute(name, value),
        Input::Profile(subject) => {
            check_profile_subject("https://as.example/userinfo", *subject, Some("u1"))
        }
    }
}

/// The pending sign-in `STATE`, started at `created_at_secs`.
fn pending(created_at_secs: u64) -> Transaction {
    Transaction {
        state: State::new(STATE.into()),
        nonce: Nonce::new("n1".into()),
        verifier: PkceVerifier::from_random(&[7; 32]),
        issuer: ISSUER.into(),
        client_id: CLIENT.into(),
        redirect_uri: "https://app.example/cb".into(),
        scopes: "openid".into(),
        created_at_secs,
    }
}

/// The element's validation of one attribute; the others are valid.
fn attribute(name: &str, value: &str) -> Result<(), SigninError> {
    let pick = |own: &str, default: &'static str| {
        if name == own {
            Some(value)
        } else {
            Some(default)
        }
    };
    SigninConfig::from_attributes(
        pick("clientid", CLIENT),
        pick("redirecturi", "https://app.example/cb"),
        pick("scopes", "openid"),
        if name == "issuer" { Some(value) } else { None },
        if name == "region" { Some(value) } else { None },
    )?;
    match name {
        "storage" => StorageMode::parse(Some(value)).map(drop),
        "logouturl" => LogoutUrl::parse(value).map(drop),
        // The values are absolute, so they resolve to themselves.
        "exchangeurl" => ExchangeUrl::parse(value, value, "https://app.example").map(drop),
        _ => Ok(()),
    }
}

/// The claims of a valid ID token for this sign-in.
fn claims() -> Value {
    json!({"iss": ISSUER, "sub": "u1", "aud": CLIENT, "exp": NOW + 300, "iat": NOW - 10, "nonce": "n1"})
}

/// An ID token with header `header` and the valid claims changed by `change`.
fn id_token(header: &str, change: impl FnOnce(&mut serde_json::Map<String, Value>)) -> Input {
    let mut claims = claims();
    change(claims.as_object_mut().expect("claims are an object"));
    Input::IdToken(jwt(header, &claims.to_string()))
}

/// An ID token with claim `name` set to `value` (JSON).
fn claim(name: &'static str, value: Value) -> Input {
    id_token(RS256, |c| {
        c.insert(name.into(), value);
    })
}

/// An ID token without claim `name`.
fn without(name: &'static str) -> Input {
    id_token(RS256, |c| {
        c.remove(name);
    })
}

/// HMAC-SHA256 (RFC 2104), for the token "signed" with the provider's public key as secret.
fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    let mut block = [0u8; 64];
    block[..key.len()].copy_from_slice(key);
    let pad = |byte: u8| block.iter().map(|b| b ^ byte).collect::<Vec<u8>>();
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .to_vec()
}

/// A valid token with its signature segment replaced by `signature`.
fn resigned(signature: &str) -> Input {
    let token = jwt(RS256, &claims().to_string());
    let signing_input = &token[..token.rfind('.').expect("three segments")];
    Input::IdToken(format!("{signing_input}.{signature}"))
}

fn token_body(members: &str) -> Input {
    Input::Token(200, ["{", members, "}"].concat())
}

fn discovery(extra: &str) -> Input {
    Input::Discovery(format!(
        r#"{{"issuer":"{ISSUER}","authorization_endpoint":"https://as.example/oauth2/authorize","token_endpoint":"https://as.example/oauth2/token","jwks_uri":"https://as.example/oauth2/jwks"{extra}}}"#
    ))
}

fn callback(params: &str) -> Input {
    Input::Callback(params.into())
}

fn attr(name: &'static str, value: &str) -> Input {
    Input::Attribute(name, value.into())
}

fn attacks() -> Vec<Attack> {
    let long = "a".repeat(callback::MAX_PARAM_LEN + 1);
    let hmac_input = {
        let header = r#"{"alg":"HS256","kid":"r1"}"#;
        let token = jwt(header, &claims().to_string());
        let signing_input = token[..token.rfind('.').expect("three segments")].to_owned();
        // The public key's modulus as the HMAC secret: the classic RS256/HS256 confusion.
        let mac = hmac_sha256(b"\x01\x00\x01", signing_input.as_bytes());
        Input::IdToken(format!("{signing_input}.{}", encode(&mac)))
    };
    let padding = "x".repeat(json::MAX_DOCUMENT_BYTES);
    vec![
        // The callback at the redirect URI.
        attack("callback without state", callback("code=c"), "missing_state"),
        attack("callback with an empty state", callback("code=c&state="), "missing_state"),
        attack("error callback without state", callback("error=access_denied"), "missing_state"),
        attack("duplicate state", callback("code=c&state=s1&state=s1"), "invalid_callback"),
        attack("duplicate code", callback("code=a&code=b&state=s1"), "invalid_callback"),
        attack("tampered state", callback("code=c&state=s1x"), "unknown_state"),
        attack("foreign state", callback("code=c&state=another-tabs-state"), "unknown_state"),
        attack("both code and error", callback("code=c&error=access_denied&state=s1"), "invalid_callback"),
        attack("neither code nor error", callback("state=s1"), "invalid_callback"),
        attack("empty code", callback("code=&state=s1"), "invalid_callback"),
        attack(
            "error from a foreign iss",
            callback("error=access_denied&state=s1&iss=https%3A%2F%2Fevil.example"),
            "issuer_mismatch",
        ),
        attack(
            "code from a foreign iss",
            callback("code=c&state=s1&iss=https%3A%2F%2Fevil.example"),
            "issuer_mismatch",
        ),
        attack("code without the promised iss", callback("code=c&state=s1"), "issuer_mismatch"),
        attack(
            "script in error_description",
            callback(&format!(
                "error=access_denied&state=s1&iss={}&error_description=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
                "https%3A%2F%2Fas.example%2Foauth2"
            )),
            "access_denied",
        ),
        attack("error outside NQSCHAR", callback("error=a%22b&state=s1"), "invalid_callback"),
        attack("oversized code", callback(&format!("code={long}&state=s1")), "invalid_callback"),
        attack("oversized state", callback(&format!("code=c&state={long}")), "invalid_callback"),
        attack(
            "oversized error_description",
            callback(&format!("error=access_denied&state=s1&error_description={long}")),
            "invalid_callback",
        ),
        attack(
            "callback after ten minutes",
            Input::LateCallback("code=c&state=s1&iss=https%3A%2F%2Fas.example%2Foauth2".into()),
            "expired_transaction",
        ),
        // The token endpoint's answer.
        attack("token response not JSON", Input::Token(502, "<html>Bad Gateway</html>".into()), "invalid_token_response"),
        attack("token response a JSON array", Input::Token(200, "[1,2]".into()), "invalid_token_response"),
        attack("no access_token", token_body(r#""token_type":"Bearer""#), "invalid_token_response"),
        attack("no token_type", token_body(r#""access_token":"at""#), "invalid_token_response"),
        attack("access_token a number", token_body(r#""access_token":1,"token_type":"Bearer""#), "invalid_token_response"),
        attack("token_type MAC", token_body(r#""access_token":"at","token_type":"MAC""#), "invalid_token_response"),
        attack("token_type DPoP", token_body(r#""access_token":"at","token_type":"DPoP""#), "invalid_token_response"),
        attack("token_type Bearerx", token_body(r#""access_token":"at","token_type":"Bearerx""#), "invalid_token_response"),
        attack("token_type with a space", token_body(r#""access_token":"at","token_type":"Bearer ""#), "invalid_token_response"),
        attack(
            "negative expires_in",
            token_body(r#""access_token":"at","token_type":"Bearer","expires_in":-60"#),
            "invalid_token_response",
        ),
        attack(
            "huge expires_in",
            token_body(r#""access_token":"at","token_type":"Bearer","expires_in":1e300"#),
            "invalid_token_response",
        ),
        attack(
            "expires_in of a hundred years",
            token_body(r#""access_token":"at","token_type":"Bearer","expires_in":3153600000"#),
            "invalid_token_response",
        ),
        attack(
            "expires_in a word",
            token_body(r#""access_token":"at","token_type":"Bearer","expires_in":"never""#),
            "invalid_token_response",
        ),
        attack(
            "id_token an object",
            token_body(r#""access_token":"at","token_type":"Bearer","id_token":{"alg":"none"}"#),
            "invalid_token_response",
        ),
        attack("error status without error", Input::Token(400, "{}".into()), "invalid_token_response"),
        attack("OAuth error with status 200", token_body(r#""error":"invalid_grant""#), "token_error"),
        // The ID token.
        attack("alg none", id_token(r#"{"alg":"none"}"#, |_| {}), "invalid_id_token"),
        attack("alg none, unsigned", Input::IdToken({
            let t = jwt(r#"{"alg":"none"}"#, &claims().to_string());
            t[..=t.rfind('.').expect("three segments")].to_owned()
        }), "invalid_id_token"),
        attack("alg NONE", id_token(r#"{"alg":"NONE","kid":"r1"}"#, |_| {}), "invalid_id_token"),
        attack("HMAC keyed with the public key", hmac_input, "invalid_id_token"),
        attack("alg RS384", id_token(r#"{"alg":"RS384","kid":"rs384"}"#, |_| {}), "invalid_id_token"),
        attack("unknown kid", id_token(r#"{"alg":"RS256","kid":"unknown"}"#, |_| {}), "invalid_id_token"),
        attack("missing kid, two RS256 keys", id_token(r#"{"alg":"RS256"}"#, |_| {}), "invalid_id_token"),
        attack("kid of an encryption key", id_token(r#"{"alg":"RS256","kid":"enc"}"#, |_| {}), "invalid_id_token"),
        attack("kid of an RS384 key", id_token(r#"{"alg":"RS256","kid":"rs384"}"#, |_| {}), "invalid_id_token"),
        attack("RS256 header naming the EC key", id_token(r#"{"alg":"RS256","kid":"e1"}"#, |_| {}), "invalid_id_token"),
        attack("ES256 with a short signature", id_token(r#"{"alg":"ES256","kid":"e1"}"#, |_| {}), "invalid_id_token"),
        attack("critical header extension", id_token(r#"{"alg":"RS256","kid":"r1","crit":["exp"]}"#, |_| {}), "invalid_id_token"),
        attack("kid a number", id_token(r#"{"alg":"RS256","kid":1}"#, |_| {}), "invalid_id_token"),
        attack("header not JSON", Input::IdToken(format!("{}.{}.c2ln", encode(b"{alg"), encode(claims().to_string().as_bytes()))), "invalid_id_token"),
        attack("truncated signature", resigned("c2lnbmF0dXJ"), "invalid_id_token"),
        attack("padded base64url", resigned("c2lnbmF0dXJl=="), "invalid_id_token"),
        attack("standard base64 alphabet", resigned("c2ln+/8"), "invalid_id_token"),
        attack("non-canonical trailing bits", resigned("c2lnbmF0dXJlZh"), "invalid_id_token"),
        attack("two segments", Input::IdToken("eyJhbGciOiJSUzI1NiJ9.e30".into()), "invalid_id_token"),
        attack("five segments (JWE)", Input::IdToken("a.b.c.d.e".into()), "invalid_id_token"),
        attack("iss of another issuer", claim("iss", json!("https://evil.example/oauth2")), "invalid_id_token"),
        attack("iss with a trailing slash", claim("iss", json!("https://as.example/oauth2/")), "invalid_id_token"),
        attack("iss a number", claim("iss", json!(1)), "invalid_id_token"),
        attack("no iss", without("iss"), "invalid_id_token"),
        attack("sub a number", claim("sub", json!(42)), "invalid_id_token"),
        attack("sub empty", claim("sub", json!("")), "invalid_id_token"),
        attack("no sub", without("sub"), "invalid_id_token"),
        attack("aud of another client", claim("aud", json!("another-client")), "invalid_id_token"),
        attack("aud a number", claim("aud", json!(7)), "invalid_id_token"),
        attack("aud with a number", claim("aud", json!([CLIENT, 7])), "invalid_id_token"),
        attack("several aud, no azp", claim("aud", json!([CLIENT, "other"])), "invalid_id_token"),
        attack("azp of another client", claim("azp", json!("another-client")), "invalid_id_token"),
        attack("no aud", without("aud"), "invalid_id_token"),
        attack("exp past", claim("exp", json!(NOW - 600)), "invalid_id_token"),
        attack("exp a string", claim("exp", json!("1700000300")), "invalid_id_token"),
        attack("exp negative", claim("exp", json!(-1)), "invalid_id_token"),
        attack("exp huge", claim("exp", json!(1e300)), "invalid_id_token"),
        attack("no exp", without("exp"), "invalid_id_token"),
        attack("iat in the future", claim("iat", json!(NOW + 3600)), "invalid_id_token"),
        attack("iat a string", claim("iat", json!("now")), "invalid_id_token"),
        attack("nonce of another request", claim("nonce", json!("n2")), "invalid_id_token"),
        attack("nonce a number", claim("nonce", json!(1)), "invalid_id_token"),
        attack("no nonce", without("nonce"), "invalid_id_token"),
        attack("auth_time a string", claim("auth_time", json!("yesterday")), "invalid_id_token"),
        attack("azp a number", claim("azp", json!(1)), "invalid_id_token"),
        attack("email a number", claim("email", json!(1)), "invalid_id_token"),
        attack("name an object", claim("name", json!({"first": "x"})), "invalid_id_token"),
        attack("sub of 256 characters", claim("sub", json!("u".repeat(256))), "invalid_id_token"),
        attack("claims an array", Input::IdToken(jwt(RS256, "[1]")), "invalid_id_token"),
        // The provider's documents.
        attack("JWKS not JSON", Input::Jwks("<html></html>".into()), "invalid_id_token"),
        attack("JWKS keys not an array", Input::Jwks(r#"{"keys":{}}"#.into()), "invalid_id_token"),
        attack(
            "JWK marked for encryption",
            Input::Jwks(r#"{"keys":[{"kty":"RSA","kid":"r1","use":"enc","n":"AQAB","e":"AQAB"}]}"#.into()),
            "invalid_id_token",
        ),
        attack(
            "JWK for another algorithm",
            Input::Jwks(r#"{"keys":[{"kty":"RSA","kid":"r1","alg":"PS256","n":"AQAB","e":"AQAB"}]}"#.into()),
            "invalid_id_token",
        ),
        attack(
            "JWK of another key type",
            Input::Jwks(r#"{"keys":[{"kty":"oct","kid":"r1","k":"c2VjcmV0"}]}"#.into()),
            "invalid_id_token",
        ),
        attack(
            "oversized JWKS",
            Input::Jwks(format!(r#"{{"padding":"{padding}","keys":[]}}"#)),
            "invalid_id_token",
        ),
        attack(
            "discovery of another issuer",
            Input::Discovery(
                r#"{"issuer":"https://evil.example/oauth2","authorization_endpoint":"https://evil.example/a","token_endpoint":"https://evil.example/t"}"#.into(),
            ),
            "issuer_mismatch",
        ),
        attack(
            "http token endpoint",
            Input::Discovery(format!(
                r#"{{"issuer":"{ISSUER}","authorization_endpoint":"https://as.example/a","token_endpoint":"http://as.example/t"}}"#
            )),
            "invalid_discovery",
        ),
        attack(
            "javascript: authorization endpoint",
            Input::Discovery(format!(
                r#"{{"issuer":"{ISSUER}","authorization_endpoint":"javascript:alert(1)","token_endpoint":"https://as.example/t"}}"#
            )),
            "invalid_discovery",
        ),
        attack("http jwks_uri", discovery(r#","jwks_uri":"http://as.example/jwks""#), "invalid_discovery"),
        attack("endpoint with user info", discovery(r#","userinfo_endpoint":"https://u:p@as.example/u""#), "invalid_discovery"),
        // Spellings the URL Standard's parser reads as https URLs, which no check here does.
        attack("endpoint with backslashes", discovery(r#","userinfo_endpoint":"https:\\\\evil.example/u""#), "invalid_discovery"),
        attack("endpoint with one slash", discovery(r#","revocation_endpoint":"https:/evil.example/r""#), "invalid_discovery"),
        attack("no S256", discovery(r#","code_challenge_methods_supported":["plain"]"#), "pkce_not_supported"),
        attack("no code response type", discovery(r#","response_types_supported":["token"]"#), "invalid_discovery"),
        attack("discovery not JSON", Input::Discovery("<html>404</html>".into()), "invalid_discovery"),
        attack("oversized discovery", discovery(&format!(r#","padding":"{padding}""#)), "invalid_discovery"),
        // The element's attributes.
        attack("no clientid", attr("clientid", " "), "missing_client_id"),
        attack("javascript: redirecturi", attr("redirecturi", "javascript:alert(1)"), "invalid_redirect_uri"),
        attack("redirecturi with a fragment", attr("redirecturi", "https://app.example/cb#x"), "invalid_redirect_uri"),
        attack("redirecturi with user info", attr("redirecturi", "https://app.example@evil.example/cb"), "invalid_redirect_uri"),
        attack("redirecturi with backslashes", attr("redirecturi", "https:\\\\evil.example/cb"), "invalid_redirect_uri"),
        attack("redirecturi with a percent-encoded host", attr("redirecturi", "https://%65vil.example/cb"), "invalid_redirect_uri"),
        attack("plain http issuer", attr("issuer", "http://as.example/oauth2"), "invalid_issuer"),
        attack("plain http issuer on 127.1", attr("issuer", "http://127.1/oauth2"), "invalid_issuer"),
        attack("issuer without slashes", attr("issuer", "https:as.example/oauth2"), "invalid_issuer"),
        attack("unknown region", attr("region", "mars"), "unknown_region"),
        attack("storage local", attr("storage", "local"), "invalid_storage"),
        attack("javascript: logouturl", attr("logouturl", "javascript:alert(1)"), "invalid_logout_url"),
        attack("data: logouturl", attr("logouturl", "data:text/html,<script>alert(1)</script>"), "invalid_logout_url"),
        attack("javascript: logouturl with a tab", attr("logouturl", "java\tscript:alert(1)"), "invalid_logout_url"),
        attack("plain http exchangeurl elsewhere", attr("exchangeurl", "http://evil.example/x"), "invalid_exchange_url"),
        attack("exchangeurl with a tab in the scheme", attr("exchangeurl", "ht\ttps://evil.example/x"), "invalid_exchange_url"),
        // The profile.
        attack("userinfo of another user", Input::Profile(Some("u2")), "profile_failed"),
        attack("userinfo without sub", Input::Profile(None), "profile_failed"),
    ]
}

#[test]
fn every_attack_fails_with_its_code() {
    let attacks = attacks();
    assert!(attacks.len() >= 40, "{} attacks", attacks.len());
    let mut failures = Vec::new();
    for attack in &attacks {
        match catch_unwind(AssertUnwindSafe(|| run(&attack.input))) {
            Err(_) => failures.push(format!("{}: panicked", attack.name)),
            Ok(Ok(())) => failures.push(format!("{}: accepted", attack.name)),
            Ok(Err(e)) if e.code_str() != attack.expected => failures.push(format!(
                "{}: {} instead of {} ({})",
                attack.name,
                e.code_str(),
                attack.expected,
                e.description
            )),
            Ok(Err(e)) => assert!(!e.description.is_empty(), "{}", attack.name),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn attack_names_are_unique() {
    let attacks = attacks();
    let mut names: Vec<_> = attacks.iter().map(|a| a.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), attacks.len());
}

/// The same steps accept honest inputs, so each attack fails for its own reason.
#[test]
fn honest_inputs_pass() {
    let honest = [
        callback("code=c&state=s1&iss=https%3A%2F%2Fas.example%2Foauth2"),
        token_body(r#""access_token":"at","token_type":"bearer","expires_in":3600"#),
        id_token(RS256, |_| {}),
        Input::Jwks(JWKS.into()),
        discovery(r#","code_challenge_methods_supported":["S256"]"#),
        attr("logouturl", "https://anypoint.mulesoft.com/logout"),
        attr("exchangeurl", "https://backend.example/exchange"),
        Input::Profile(Some("u1")),
    ];
    for input in &honest {
        if let Err(e) = run(input) {
            panic!("{}", e.description);
        }
    }
}

#[test]
fn script_in_error_description_stays_text() {
    let params = "error=access_denied&state=s1&iss=https%3A%2F%2Fas.example%2Foauth2&error_description=%3Cscript%3Ealert(1)%3C%2Fscript%3E";
    let e = run(&callback(params)).unwrap_err();
    // Shown with textContent: kept verbatim, never interpreted.
    assert!(e.description.contains("<script>alert(1)</script>"));
    assert_eq!(e.cause.as_deref(), Some("<script>alert(1)</script>"));
}
