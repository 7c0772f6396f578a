//! The example backend, `POST /example-backend/exchange`: it redeems a code obtained with
//! PKCE as the confidential app `anypoint-signin-backend-example`.

mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::{Value, json};

const EXCHANGE: &str = "/example-backend/exchange";
const ORIGIN: &str = "http://127.0.0.1:8080";

/// A code for the backend's app, with PKCE: `(code, verifier)`.
async fn backend_code(mock: &Mock, scope: &str) -> (String, String) {
    mock.pkce_code(BACKEND, PLAYGROUND_REDIRECT, scope).await
}

/// What a page sends: the code, its verifier, and the playground's redirect URI.
fn page_body(code: &str, verifier: &str) -> Value {
    json!({"code": code, "code_verifier": verifier, "redirect_uri": PLAYGROUND_REDIRECT})
}

async fn exchange_json(mock: &Mock, body: Value) -> TokenReply {
    send(
        mock.http
            .post(mock.url(EXCHANGE))
            .header("Origin", ORIGIN)
            .json(&body),
    )
    .await
}

#[tokio::test]
async fn exchanges_a_pkce_code_for_the_confidential_app() {
    let mock = start().await;
    let (code, verifier) = backend_code(&mock, "openid profile email offline_access").await;
    let tokens = exchange_json(&mock, page_body(&code, &verifier)).await;
    assert_eq!(
        tokens.headers["access-control-allow-origin"], ORIGIN,
        "CORS for the redirect URI's origin"
    );
    assert_eq!(tokens.status, 200, "{}", tokens.body);
    assert_eq!(tokens.headers["cache-control"], "no-store");
    assert!(tokens.headers.get("www-authenticate").is_none());
    assert_eq!(tokens.body["token_type"], "bearer");
    assert_eq!(tokens.body["scope"], "openid profile email offline_access");
    assert!(tokens.body["refresh_token"].is_string());
    let id_token = tokens.id_token();
    assert_eq!(jwt_claims(id_token)["aud"], BACKEND);
    assert_eq!(jwt_claims(id_token)["nonce"], "n-456");
    assert!(verifies_with_jwks(&mock, id_token).await);
    assert_eq!(mock.userinfo_status(tokens.access_token()).await, 200);

    // The code works once, whoever presents it.
    let replay = exchange_json(&mock, page_body(&code, &verifier)).await;
    assert_eq!(replay.error(), "invalid_grant");
}

#[tokio::test]
async fn accepts_a_form_encoded_body() {
    let mock = start().await;
    let (code, verifier) = backend_code(&mock, "openid").await;
    let tokens = send(mock.http.post(mock.url(EXCHANGE)).form(&[
        ("code", code.as_str()),
        ("code_verifier", &verifier),
        ("redirect_uri", PLAYGROUND_REDIRECT),
    ]))
    .await;
    assert_eq!(tokens.status, 200, "{}", tokens.body);
    assert!(tokens.body["id_token"].is_string());
}

#[tokio::test]
async fn the_pkce_verifier_is_still_checked() {
    let mock = start().await;
    let (code, verifier) = backend_code(&mock, "openid").await;
    let (wrong, _) = pkce();
    let refused = exchange_json(&mock, page_body(&code, &wrong)).await;
    assert_eq!(refused.status_error(), (400, "invalid_grant"));
    assert_eq!(refused.headers["cache-control"], "no-store");
    let missing = exchange_json(
        &mock,
        json!({"code": code, "redirect_uri": PLAYGROUND_REDIRECT}),
    )
    .await;
    assert_eq!(missing.error(), "invalid_grant");
    let other_redirect = exchange_json(
        &mock,
        json!({"code": code, "code_verifier": verifier, "redirect_uri": "http://localhost:8080/"}),
    )
    .await;
    assert_eq!(other_redirect.error(), "invalid_grant");
}

#[tokio::test]
async fn codes_of_other_apps_and_bad_bodies_are_refused() {
    let mock = start().await;
    let (code, verifier) = mock.playground_code("openid").await;
    let foreign = exchange_json(&mock, page_body(&code, &verifier)).await;
    assert_eq!(foreign.error(), "invalid_grant");
    let no_code = exchange_json(&mock, json!({"redirect_uri": PLAYGROUND_REDIRECT})).await;
    assert_eq!(no_code.status_error(), (400, "invalid_request"));
    let text = send(
        mock.http
            .post(mock.url(EXCHANGE))
            .header("Content-Type", "text/plain")
            .body("code=x"),
    )
    .await;
    assert_eq!(text.error(), "invalid_request");
}

#[tokio::test]
async fn the_backend_app_is_confidential() {
    let mock = start().await;
    let (code, verifier) = backend_code(&mock, "openid").await;
    let from_the_browser = mock
        .redeem(BACKEND, PLAYGROUND_REDIRECT, &code, &verifier)
        .await;
    assert_eq!(from_the_browser.status_error(), (401, "invalid_client"));
    let app = mock.admin_get(&app_path(BACKEND, "")).await;
    assert_eq!(app.body["public_client"], false);
    assert_eq!(app.body["client_secret"], BACKEND_SECRET);
    assert_eq!(
        app.body["grant_types"],
        json!(["authorization_code", "refresh_token"])
    );
    assert_eq!(
        app.body["scopes"],
        json!(["openid", "profile", "email", "offline_access"])
    );
    let playground = mock.admin_get(&app_path(PLAYGROUND, "")).await;
    assert_eq!(app.body["redirect_uris"], playground.body["redirect_uris"]);
}

#[tokio::test]
async fn cors_allows_only_redirect_uri_origins() {
    let mock = start().await;
    for (origin, allowed) in [
        ("http://127.0.0.1:8080", true),
        ("http://localhost:8080", true),
        ("https://evil.example", false),
    ] {
        let response = mock
            .preflight(EXCHANGE, origin, "POST", Some("content-type"))
            .await;
        let header = allowed_origin(&response);
        assert_eq!(header.as_deref(), allowed.then_some(origin), "{origin}");
    }
}

#[tokio::test]
async fn faults_hit_the_backend() {
    let mock = start().await;
    mock.fault(json!({"endpoint": "backend", "kind": "server_error"}))
        .await;
    let (code, verifier) = backend_code(&mock, "openid").await;
    let body = page_body(&code, &verifier);
    let failed = exchange_json(&mock, body.clone()).await;
    assert_eq!(failed.status_error(), (500, "server_error"));

    mock.fault(json!({"endpoint": "backend", "kind": "invalid_json"}))
        .await;
    let broken = exchange_json(&mock, body.clone()).await;
    assert_eq!(broken.status, 200);
    assert!(broken.body.is_string(), "not JSON: {}", broken.body);

    // The code was redeemed by the spoiled answer; a delayed one needs a new code.
    mock.fault(json!({"endpoint": "backend", "kind": "delay", "delay_ms": 200}))
        .await;
    let (code, verifier) = backend_code(&mock, "openid").await;
    let started = Instant::now();
    let slow = exchange_json(&mock, page_body(&code, &verifier)).await;
    assert_eq!(slow.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(200));

    for kind in ["bad_signature", "unknown_kid"] {
        let refused = mock
            .admin_post(FAULTS, json!({"endpoint": "backend", "kind": kind}))
            .await;
        assert_eq!(refused.status, 400, "{kind}");
    }
}

#[tokio::test]
async fn token_endpoint_faults_reach_the_backend_answer() {
    let mock = start().await;
    mock.fault(json!({"endpoint": "token", "kind": "server_error"}))
        .await;
    let (code, verifier) = backend_code(&mock, "openid").await;
    let body = page_body(&code, &verifier);
    let relayed = exchange_json(&mock, body.clone()).await;
    assert_eq!(relayed.status_error(), (500, "server_error"));
    mock.fault(json!({"endpoint": "token", "kind": "wrong_nonce"}))
        .await;
    let spoiled = exchange_json(&mock, body).await;
    assert_eq!(spoiled.status, 200, "the code was not spent by the 500");
    let claims = jwt_claims(spoiled.id_token());
    assert_ne!(claims["nonce"], "n-456");
}
