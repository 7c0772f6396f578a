//! Errors of the authorization endpoint: an error page when the client or redirect URI
//! cannot be trusted, otherwise a redirect with `error`, `state` and `iss`.

mod common;

use common::*;
use reqwest::StatusCode;

fn base(challenge: &str) -> Vec<(&str, &str)> {
    let mut params = pkce_params(PLAYGROUND, PLAYGROUND_REDIRECT, "openid", challenge);
    params.push(("state", "keep-me"));
    params
}

fn with<'a>(
    mut params: Vec<(&'a str, &'a str)>,
    name: &'a str,
    value: Option<&'a str>,
) -> Vec<(&'a str, &'a str)> {
    params.retain(|(n, _)| *n != name);
    if let Some(value) = value {
        params.push((name, value));
    }
    params
}

#[tokio::test]
async fn unknown_client_or_unregistered_redirect_gets_a_page_never_a_redirect() {
    let mock = start().await;
    let (_, challenge) = pkce();
    for params in [
        with(base(&challenge), "client_id", Some("no-such-client")),
        with(base(&challenge), "client_id", None),
        with(
            base(&challenge),
            "redirect_uri",
            Some("https://evil.example/"),
        ),
        // Exact string match: no trailing-slash or prefix leniency.
        with(
            base(&challenge),
            "redirect_uri",
            Some("http://127.0.0.1:8080"),
        ),
        with(
            base(&challenge),
            "redirect_uri",
            Some("http://127.0.0.1:8080/index.html?x=1"),
        ),
        with(base(&challenge), "redirect_uri", None),
    ] {
        let response = mock.authorize(&params).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{params:?}");
        assert!(response.headers().get("location").is_none());
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        let body = response.text().await.unwrap();
        assert!(!body.contains("<script"));
    }
}

#[tokio::test]
async fn error_page_escapes_what_it_echoes() {
    let mock = start().await;
    let (_, challenge) = pkce();
    let params = with(
        base(&challenge),
        "client_id",
        Some("<img src=x onerror=alert(1)>"),
    );
    let body = mock.authorize(&params).await.text().await.unwrap();
    assert!(!body.contains("<img"));
    assert!(body.contains("&lt;img"));
}

async fn redirected_error(mock: &Mock, params: &[(&str, &str)]) -> (String, String) {
    let response = mock.authorize(params).await;
    assert_eq!(response.status(), StatusCode::FOUND, "{params:?}");
    let query = location_query(response.headers());
    assert_eq!(query["state"], "keep-me");
    assert_eq!(query["iss"], mock.issuer);
    assert!(!query.contains_key("code"));
    (query["error"].clone(), query["error_description"].clone())
}

#[tokio::test]
async fn other_errors_redirect_back_with_error_state_and_iss() {
    let mock = start().await;
    let (_, challenge) = pkce();
    let cases = [
        (
            with(base(&challenge), "response_type", Some("token")),
            "unsupported_response_type",
        ),
        (
            with(base(&challenge), "response_type", None),
            "invalid_request",
        ),
        (
            with(base(&challenge), "scope", Some("openid manage:apis")),
            "invalid_scope",
        ),
        (with(base(&challenge), "scope", None), "invalid_scope"),
        (
            with(base(&challenge), "code_challenge", None),
            "invalid_request",
        ),
        (
            with(base(&challenge), "code_challenge_method", Some("plain")),
            "invalid_request",
        ),
        (
            with(base(&challenge), "code_challenge_method", None),
            "invalid_request",
        ),
        (
            with(base(&challenge), "code_challenge", Some("too-short")),
            "invalid_request",
        ),
        (
            with(base(&challenge), "prompt", Some("none")),
            "login_required",
        ),
        (
            with(base(&challenge), "response_mode", Some("fragment")),
            "invalid_request",
        ),
    ];
    for (params, expected) in cases {
        let (error, description) = redirected_error(&mock, &params).await;
        assert_eq!(error, expected, "{params:?}: {description}");
        assert!(!description.is_empty());
    }
}

#[tokio::test]
async fn pkce_is_required_for_public_clients() {
    let mock = start().await;
    let (_, challenge) = pkce();
    let params = with(
        with(base(&challenge), "code_challenge", None),
        "code_challenge_method",
        None,
    );
    let (error, description) = redirected_error(&mock, &params).await;
    assert_eq!(error, "invalid_request");
    assert!(description.contains("PKCE"), "{description}");
}

#[tokio::test]
async fn login_hint_signs_in_only_with_auto_approve() {
    let mock = start_with(|_| {}).await;
    let (_, challenge) = pkce();
    let params = with(base(&challenge), "login_hint", Some("max"));
    let response = mock.authorize(&params).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.text().await.unwrap();
    assert!(
        body.contains("id=\"username\""),
        "the login page, not a code"
    );
}
