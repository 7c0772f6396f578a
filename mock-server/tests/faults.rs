//! Fault injection through `POST /__mock/faults`.

mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::{Value, json};

async fn client_credentials(mock: &Mock) -> TokenReply {
    mock.client_credentials(CI_CLIENT, CI_SECRET).await
}

#[tokio::test]
async fn server_error_fails_exactly_the_next_n_responses() {
    let mock = start().await;
    mock.fault(json!({"endpoint": "token", "kind": "server_error", "count": 2}))
        .await;
    for _ in 0..2 {
        let reply = client_credentials(&mock).await;
        assert_eq!(reply.status, 500);
        assert_eq!(reply.error(), "server_error");
    }
    assert_eq!(client_credentials(&mock).await.status, 200);
}

#[tokio::test]
async fn faults_hit_only_their_endpoint() {
    let mock = start().await;
    mock.fault(json!({"endpoint": "jwks", "kind": "server_error"}))
        .await;
    assert_eq!(client_credentials(&mock).await.status, 200);
    let jwks = mock.get(JWKS).await;
    assert_eq!(jwks.status(), 500);
}

#[tokio::test]
async fn invalid_json_and_delay() {
    let mock = start().await;
    mock.fault(json!({"endpoint": "discovery", "kind": "invalid_json"}))
        .await;
    let broken = mock.get(DISCOVERY).await;
    assert_eq!(broken.status(), 200);
    assert_eq!(broken.headers()["content-type"], "application/json");
    assert!(serde_json::from_str::<Value>(&broken.text().await.unwrap()).is_err());
    assert!(mock.get(DISCOVERY).await.json::<Value>().await.is_ok());

    mock.fault(json!({"endpoint": "discovery", "kind": "delay", "delay_ms": 300}))
        .await;
    let started = Instant::now();
    let slow = mock.get(DISCOVERY).await;
    assert_eq!(slow.status(), 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn id_token_faults_spoil_the_id_token() {
    let mock = start().await;
    mock.fault(json!({"endpoint": "token", "kind": "wrong_nonce"}))
        .await;
    let tokens = mock.sign_in("openid").await;
    let claims = jwt_claims(tokens.id_token());
    assert_ne!(claims["nonce"], "n-456");

    mock.fault(json!({"endpoint": "token", "kind": "wrong_audience"}))
        .await;
    let tokens = mock.sign_in("openid").await;
    assert_ne!(jwt_claims(tokens.id_token())["aud"], PLAYGROUND);

    mock.fault(json!({"endpoint": "token", "kind": "expired"}))
        .await;
    let tokens = mock.sign_in("openid").await;
    let claims = jwt_claims(tokens.id_token());
    assert!(claims["exp"].as_u64().unwrap() < unix_now());

    mock.fault(json!({"endpoint": "token", "kind": "bad_signature"}))
        .await;
    let tokens = mock.sign_in("openid").await;
    let spoiled = tokens.id_token();
    assert_eq!(jwt_claims(spoiled)["nonce"], "n-456", "claims intact");
    assert!(!verifies_with_jwks(&mock, spoiled).await);

    let tokens = mock.sign_in("openid").await;
    assert!(verifies_with_jwks(&mock, tokens.id_token()).await);
}

#[tokio::test]
async fn authorize_server_error_redirects_with_server_error() {
    let mock = start().await;
    mock.fault(json!({"endpoint": "authorize", "kind": "server_error"}))
        .await;
    let (_, challenge) = pkce();
    let mut params = pkce_params(PLAYGROUND, PLAYGROUND_REDIRECT, "openid", &challenge);
    params.extend([("state", "s"), ("login_hint", "max")]);
    let response = mock.authorize(&params).await;
    let query = location_query(response.headers());
    assert_eq!(query["error"], "server_error");
    assert_eq!(query["state"], "s");
}

#[tokio::test]
async fn userinfo_and_me_faults() {
    let mock = start().await;
    let tokens = mock.sign_in("openid profile").await;
    let token = tokens.access_token();
    for (endpoint, path) in [("userinfo", USERINFO), ("me", ME)] {
        mock.fault(json!({"endpoint": endpoint, "kind": "server_error"}))
            .await;
        let get = || mock.get_bearer(path, token);
        assert_eq!(get().await.status(), 500, "{endpoint}");
        assert_eq!(get().await.status(), 200, "{endpoint}");
    }
}

#[tokio::test]
async fn faults_can_be_listed_and_cleared() {
    let mock = start().await;
    mock.fault(json!({"endpoint": "token", "kind": "server_error", "count": 5}))
        .await;
    let listed = mock.admin_get(FAULTS).await;
    assert_eq!(listed.body["faults"][0]["count"], 5);
    let cleared = mock.admin_delete(FAULTS).await;
    assert_eq!(cleared.status, 204);
    assert_eq!(client_credentials(&mock).await.status, 200);
}

#[tokio::test]
async fn fault_api_checks_caller_and_input() {
    let mock = start().await;
    let anonymous = mock
        .http
        .post(mock.url(FAULTS))
        .json(&json!({"endpoint": "token", "kind": "server_error"}))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    for spec in [
        json!({"endpoint": "jwks", "kind": "wrong_nonce"}),
        json!({"endpoint": "authorize", "kind": "invalid_json"}),
        json!({"endpoint": "nowhere", "kind": "server_error"}),
        json!({"endpoint": "token", "kind": "server_error", "count": 0}),
    ] {
        let reply = mock.admin_post(FAULTS, spec.clone()).await;
        assert_eq!(reply.status, 400, "{spec}");
        assert_eq!(reply.body["error"], "bad_request");
    }
    assert_eq!(client_credentials(&mock).await.status, 200);
}

#[tokio::test]
async fn short_lived_announces_a_five_second_token() {
    let mock = start().await;
    mock.fault(json!({"endpoint": "token", "kind": "short_lived"}))
        .await;
    let reply = client_credentials(&mock).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body["expires_in"], 5);
    assert_eq!(client_credentials(&mock).await.body["expires_in"], 3600);
}

#[tokio::test]
async fn replace_serves_the_given_body_once() {
    let mock = start().await;
    let body = r#"{"issuer":"https://evil.example"}"#;
    mock.fault(json!({"endpoint": "discovery", "kind": "replace", "body": body}))
        .await;
    let replaced = mock.get(DISCOVERY).await;
    assert_eq!(replaced.status(), 200);
    assert_eq!(replaced.headers()["content-type"], "application/json");
    assert_eq!(replaced.text().await.unwrap(), body);
    let normal: Value = mock.get(DISCOVERY).await.json().await.unwrap();
    assert_ne!(normal["issuer"], "https://evil.example");
}

#[tokio::test]
async fn claims_are_merged_into_a_validly_signed_id_token() {
    let mock = start().await;
    mock.fault(json!({"endpoint": "token", "kind": "claims",
        "claims": {"sub": 42, "nonce": null, "extra": "x"}}))
        .await;
    let tokens = mock.sign_in("openid").await;
    let claims = jwt_claims(tokens.id_token());
    assert_eq!(claims["sub"], 42);
    assert_eq!(claims["extra"], "x");
    assert!(claims.get("nonce").is_none(), "null removes a claim");
    assert_eq!(claims["iss"], mock.issuer, "other claims stay");
    assert!(verifies_with_jwks(&mock, tokens.id_token()).await);
}

#[tokio::test]
async fn replace_and_claims_need_their_member() {
    let mock = start().await;
    for spec in [
        json!({"endpoint": "token", "kind": "replace"}),
        json!({"endpoint": "token", "kind": "claims"}),
        json!({"endpoint": "jwks", "kind": "claims", "claims": {}}),
        json!({"endpoint": "authorize", "kind": "replace", "body": "{}"}),
    ] {
        let reply = mock.admin_post(FAULTS, spec.clone()).await;
        assert_eq!(reply.status, 400, "{spec}");
    }
}
