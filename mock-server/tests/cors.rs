//! Cross-origin access: discovery and JWKS for anyone; token, userinfo, revoke and
//! /accounts/api/me for origins of registered redirect URIs; admin API for --admin-origin.

mod common;

use common::*;
use serde_json::json;

/// A preflight of a POST with a JSON body and an `Authorization` header.
async fn preflight(mock: &Mock, path: &str, origin: &str) -> reqwest::Response {
    mock.preflight(path, origin, "POST", Some("content-type,authorization"))
        .await
}

#[tokio::test]
async fn token_endpoints_allow_only_redirect_uri_origins() {
    let mock = start().await;
    for path in [
        "/accounts/api/v2/oauth2/token",
        "/accounts/api/v2/oauth2/userinfo",
        "/accounts/api/v2/oauth2/revoke",
        "/accounts/api/me",
    ] {
        for origin in ["http://127.0.0.1:8080", "http://localhost:8080"] {
            let response = preflight(&mock, path, origin).await;
            assert!(response.status().is_success(), "{path}");
            assert_eq!(allowed_origin(&response).as_deref(), Some(origin), "{path}");
        }
        for origin in ["https://evil.example", "http://127.0.0.1:8081", "null"] {
            let response = preflight(&mock, path, origin).await;
            assert_eq!(allowed_origin(&response), None, "{path} from {origin}");
        }
    }
}

#[tokio::test]
async fn a_real_token_response_carries_the_allowed_origin() {
    let mock = start().await;
    let (code, verifier) = mock.playground_code("openid").await;
    let response = mock
        .http
        .post(mock.token_url())
        .header("Origin", "http://127.0.0.1:8080")
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", PLAYGROUND_REDIRECT),
            ("client_id", PLAYGROUND),
            ("code_verifier", &verifier),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        allowed_origin(&response).as_deref(),
        Some("http://127.0.0.1:8080")
    );
    let evil = mock
        .http
        .post(mock.token_url())
        .header("Origin", "https://evil.example")
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(allowed_origin(&evil), None);
}

#[tokio::test]
async fn registering_a_redirect_uri_allows_its_origin() {
    let mock = start().await;
    let origin = "https://spa.example.test:8443";
    let path = "/accounts/api/v2/oauth2/token";
    assert_eq!(allowed_origin(&preflight(&mock, path, origin).await), None);
    mock.create_app(json!({
        "client_name": "SPA",
        "grant_types": ["authorization_code"],
        "scopes": ["openid"],
        "public_client": true,
        "redirect_uris": [format!("{origin}/callback")],
    }))
    .await;
    assert_eq!(
        allowed_origin(&preflight(&mock, path, origin).await).as_deref(),
        Some(origin)
    );
}

#[tokio::test]
async fn admin_api_allows_only_admin_origins() {
    let mock = start_with(|c| c.admin_origins = vec!["http://127.0.0.1:8080".to_owned()]).await;
    for path in ["/accounts/api/connectedApplications", "/__mock/faults"] {
        let response = preflight(&mock, path, "http://127.0.0.1:8080").await;
        assert_eq!(
            allowed_origin(&response).as_deref(),
            Some("http://127.0.0.1:8080")
        );
        let response = preflight(&mock, path, "http://localhost:8080").await;
        assert_eq!(
            allowed_origin(&response),
            None,
            "a redirect origin is no admin origin"
        );
    }
    let plain = start().await;
    let response = preflight(
        &plain,
        "/accounts/api/connectedApplications",
        "http://127.0.0.1:8080",
    )
    .await;
    assert_eq!(allowed_origin(&response), None);
}
