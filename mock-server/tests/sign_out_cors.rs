//! Signing out from a page: token revocation (RFC 7009, public client with `client_id` in
//! the body) and `/accounts/api/logout/`, cross-origin from registered redirect URIs.

mod common;

use common::*;
use reqwest::Method;

const ORIGIN: &str = "http://localhost:8080";

fn allowed(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get("access-control-allow-origin")
        .map(|v| v.to_str().unwrap().to_owned())
}

async fn userinfo_status(mock: &Mock, token: &str) -> u16 {
    mock.http
        .get(mock.url("/accounts/api/v2/oauth2/userinfo"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn a_page_revokes_its_tokens_cross_origin() {
    let mock = start().await;
    let revoke = mock.url("/accounts/api/v2/oauth2/revoke");
    let preflight = mock
        .http
        .request(Method::OPTIONS, &revoke)
        .header("Origin", ORIGIN)
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type")
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success());
    assert_eq!(allowed(&preflight).as_deref(), Some(ORIGIN));

    let tokens = mock.sign_in("openid offline_access").await;
    let refresh = tokens.body["refresh_token"].as_str().unwrap();
    for token in [tokens.access_token(), refresh] {
        let response = mock
            .http
            .post(&revoke)
            .header("Origin", ORIGIN)
            .form(&[("token", token), ("client_id", PLAYGROUND)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(allowed(&response).as_deref(), Some(ORIGIN));
    }
    assert_eq!(userinfo_status(&mock, tokens.access_token()).await, 401);
    let refreshed = mock
        .token(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh),
            ("client_id", PLAYGROUND),
        ])
        .await;
    assert_eq!(refreshed.error(), "invalid_grant");

    let evil = mock
        .http
        .post(&revoke)
        .header("Origin", "https://evil.example")
        .form(&[("token", "x"), ("client_id", PLAYGROUND)])
        .send()
        .await
        .unwrap();
    assert_eq!(allowed(&evil), None);
}

#[tokio::test]
async fn logout_allows_redirect_uri_origins_with_credentials() {
    let mock = start().await;
    for path in ["/accounts/api/logout/", "/accounts/api/logout"] {
        let response = mock
            .http
            .get(mock.url(path))
            .header("Origin", ORIGIN)
            .header("Cookie", "anypoint_mock_session=unknown")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(allowed(&response).as_deref(), Some(ORIGIN), "{path}");
        assert_eq!(
            response.headers()["access-control-allow-credentials"],
            "true"
        );
        assert!(response.headers().contains_key("set-cookie"));

        let preflight = mock
            .http
            .request(Method::OPTIONS, mock.url(path))
            .header("Origin", "http://127.0.0.1:8080")
            .header("Access-Control-Request-Method", "GET")
            .send()
            .await
            .unwrap();
        assert!(preflight.status().is_success());
        assert_eq!(
            allowed(&preflight).as_deref(),
            Some("http://127.0.0.1:8080")
        );

        let evil = mock
            .http
            .get(mock.url(path))
            .header("Origin", "https://evil.example")
            .send()
            .await
            .unwrap();
        assert_eq!(allowed(&evil), None, "{path}");
    }
}
