//! Provider metadata: `parse_discovery` over any document, against a fixed issuer and
//! against the issuer the document itself names (so the checks past the issuer comparison
//! are reached too).

#![no_main]

use anypoint_signin::protocol::json::{text, texts};
use anypoint_signin::protocol::{
    ErrorCode, IssuerUrl, JsonDecoder, Kind, ProviderMetadata, discovery_url, parse_discovery,
};
use anypoint_signin_fuzz::{SerdeJson, assert_code};
use libfuzzer_sys::fuzz_target;

const ISSUER: &str = "https://anypoint.mulesoft.com/accounts/api/v2/oauth2";

fuzz_target!(|body: &str| {
    let fixed = IssuerUrl::parse(ISSUER).expect("a valid issuer");
    check(body, &fixed);
    let document = SerdeJson.parse(body, "issuer");
    let mut issuer = [None];
    let named = document
        .read(&[Kind::Str], &mut issuer)
        .ok()
        .and_then(|()| text(issuer[0]))
        .and_then(|issuer| IssuerUrl::parse(&issuer).ok());
    if let Some(issuer) = named {
        assert!(discovery_url(&issuer).ends_with("/.well-known/openid-configuration"));
        check(body, &issuer);
    }
});

fn check(body: &str, issuer: &IssuerUrl) {
    match parse_discovery(body, issuer, &SerdeJson) {
        Ok(meta) => accepted(&meta, issuer, body),
        Err(e) => assert_code(
            &e,
            &[
                ErrorCode::InvalidDiscovery,
                ErrorCode::IssuerMismatch,
                ErrorCode::PkceNotSupported,
            ],
        ),
    }
}

/// What an accepted document (`body`) promises the element.
fn accepted(meta: &ProviderMetadata, issuer: &IssuerUrl, body: &str) {
    assert_eq!(meta.issuer, issuer.as_str());
    let endpoints = [
        Some(&meta.authorization_endpoint),
        Some(&meta.token_endpoint),
        meta.userinfo_endpoint.as_ref(),
        meta.jwks_uri.as_ref(),
        meta.revocation_endpoint.as_ref(),
        meta.end_session_endpoint.as_ref(),
        meta.introspection_endpoint.as_ref(),
    ];
    for endpoint in endpoints.into_iter().flatten() {
        assert!(
            secure_or_loopback(endpoint),
            "an endpoint that is neither https nor loopback http was accepted: {endpoint:?}"
        );
        assert!(
            !endpoint.contains('#'),
            "an endpoint with a fragment: {endpoint:?}"
        );
    }
    // The lists are checked as the document is read, not kept: read them again here.
    let document = SerdeJson.parse(
        body,
        "response_types_supported\u{1f}code_challenge_methods_supported",
    );
    let mut lists = [None; 2];
    document
        .read(&[Kind::Strings; 2], &mut lists)
        .expect("an accepted document is an object of arrays of strings or nothing");
    if let Some(types) = texts(lists[0]) {
        assert!(types.iter().any(|t| t == "code"));
    }
    if let Some(methods) = texts(lists[1]) {
        assert!(methods.iter().any(|m| m == "S256"));
    }
}

/// `https://...`, or `http://` to localhost, 127.0.0.1 or [::1] (RFC 8252 §8.3).
fn secure_or_loopback(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("https://") {
        return true;
    }
    ["http://localhost", "http://127.0.0.1", "http://[::1]"]
        .iter()
        .any(|prefix| {
            lower
                .strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([':', '/', '?']))
        })
}
