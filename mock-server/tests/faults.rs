//! Fault injection through `POST /__mock/faults`.

mod common;

use std::time::{Duration, Instant};

use common::*;
use reqwest::Method;
use serde_json::{Value, json};

async fn client_credentials(mock: &Mock) -> TokenReply {
    mock.token_basic(
        CI_CLIENT,
        CI_SECRET,
        &[("grant_type", "client_credentials")],
    )
    .await
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
    let jwks = mock
        .http
        .get(mock.url("/accounts/api/v2/oauth2/jwks"))
        .send()
        .await
        .unwrap();
    assert_eq!(jwks.status(), 500);
}

#[tokio::test]
async fn invalid_json_and_delay() {
    let mock = start().await;
    mock.fault(json!({"endpoint": "discovery", "kind": "invalid_json"}))
        .await;
    let url = mock.url("/accounts/api/v2/oauth2/.well-known/openid-configuration");
    let broken = mock.http.get(&url).send().await.unwrap();
    assert_eq!(broken.status(), 200);
    assert_eq!(broken.headers()["content-type"], "application/json");
    assert!(serde_json::from_str::<Value>(&broken.text().await.unwrap()).is_err());
    assert!(
        mock.http
            .get(&url)
            .send()
            .await
            .unwrap()
            .json::<Value>()
            .await
            .is_ok()
    );

    mock.fault(json!({"endpoint": "discovery", "kind": "delay", "delay_ms": 300}))
        .await;
    let started = Instant::now();
    let slow = mock.http.get(&url).send().await.unwrap();
    assert_eq!(slow.status(), 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn id_token_faults_spoil_the_id_token() {
    let mock = start().await;
    mock.fault(json!({"endpoint": "token", "kind": "wrong_nonce"}))
        .await;
    let tokens = mock.sign_in("openid").await;
    let claims = jwt_claims(tokens.body["id_token"].as_str().unwrap());
    assert_ne!(claims["nonce"], "n-456");

    mock.fault(json!({"endpoint": "token", "kind": "wrong_audience"}))
        .await;
    let tokens = mock.sign_in("openid").await;
    assert_ne!(
        jwt_claims(tokens.body["id_token"].as_str().unwrap())["aud"],
        PLAYGROUND
    );

    mock.fault(json!({"endpoint": "token", "kind": "expired"}))
        .await;
    let tokens = mock.sign_in("openid").await;
    let claims = jwt_claims(tokens.body["id_token"].as_str().unwrap());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(claims["exp"].as_u64().unwrap() < now);

    mock.fault(json!({"endpoint": "token", "kind": "bad_signature"}))
        .await;
    let tokens = mock.sign_in("openid").await;
    let spoiled = tokens.body["id_token"].as_str().unwrap();
    assert_eq!(jwt_claims(spoiled)["nonce"], "n-456", "claims intact");
    assert!(!verifies_with_jwks(&mock, spoiled).await);

    let tokens = mock.sign_in("openid").await;
    assert!(verifies_with_jwks(&mock, tokens.body["id_token"].as_str().unwrap()).await);
}

#[tokio::test]
async fn authorize_server_error_redirects_with_server_error() {
    let mock = start().await;
    mock.fault(json!({"endpoint": "authorize", "kind": "server_error"}))
        .await;
    let (_, challenge) = pkce();
    let response = mock
        .authorize(&[
            ("client_id", PLAYGROUND),
            ("redirect_uri", PLAYGROUND_REDIRECT),
            ("response_type", "code"),
            ("scope", "openid"),
            ("state", "s"),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
            ("login_hint", "max"),
        ])
        .await;
    let query = location_query(response.headers());
    assert_eq!(query["error"], "server_error");
    assert_eq!(query["state"], "s");
}

#[tokio::test]
async fn userinfo_and_me_faults() {
    let mock = start().await;
    let tokens = mock.sign_in("openid profile").await;
    let token = tokens.access_token().to_owned();
    for (endpoint, path) in [
        ("userinfo", "/accounts/api/v2/oauth2/userinfo"),
        ("me", "/accounts/api/me"),
    ] {
        mock.fault(json!({"endpoint": endpoint, "kind": "server_error"}))
            .await;
        let get = || mock.http.get(mock.url(path)).bearer_auth(&token).send();
        assert_eq!(get().await.unwrap().status(), 500, "{endpoint}");
        assert_eq!(get().await.unwrap().status(), 200, "{endpoint}");
    }
}

#[tokio::test]
async fn faults_can_be_listed_and_cleared() {
    let mock = start().await;
    mock.fault(json!({"endpoint": "token", "kind": "server_error", "count": 5}))
        .await;
    let listed = mock.admin(Method::GET, "/__mock/faults", None).await;
    assert_eq!(listed.body["faults"][0]["count"], 5);
    let cleared = mock.admin(Method::DELETE, "/__mock/faults", None).await;
    assert_eq!(cleared.status, 204);
    assert_eq!(client_credentials(&mock).await.status, 200);
}

#[tokio::test]
async fn fault_api_checks_caller_and_input() {
    let mock = start().await;
    let anonymous = mock
        .http
        .post(mock.url("/__mock/faults"))
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
        let reply = mock
            .admin(Method::POST, "/__mock/faults", Some(spec.clone()))
            .await;
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
