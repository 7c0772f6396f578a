//! Signing out from a page: token revocation (RFC 7009, public client with `client_id` in
//! the body) and `/accounts/api/logout/`, cross-origin from registered redirect URIs.

mod common;

use common::*;

const ORIGIN: &str = "http://localhost:8080";

#[tokio::test]
async fn a_page_revokes_its_tokens_cross_origin() {
    let mock = start().await;
    let revoke = mock.url(REVOKE);
    let preflight = mock
        .preflight(REVOKE, ORIGIN, "POST", Some("content-type"))
        .await;
    assert!(preflight.status().is_success());
    assert_eq!(allowed_origin(&preflight).as_deref(), Some(ORIGIN));

    let tokens = mock.sign_in("openid offline_access").await;
    let refresh = tokens.refresh_token();
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
        assert_eq!(allowed_origin(&response).as_deref(), Some(ORIGIN));
    }
    assert_eq!(mock.userinfo_status(tokens.access_token()).await, 401);
    let refreshed = mock.refresh(refresh).await;
    assert_eq!(refreshed.error(), "invalid_grant");

    let evil = mock
        .http
        .post(&revoke)
        .header("Origin", "https://evil.example")
        .form(&[("token", "x"), ("client_id", PLAYGROUND)])
        .send()
        .await
        .unwrap();
    assert_eq!(allowed_origin(&evil), None);
}

#[tokio::test]
async fn logout_allows_redirect_uri_origins_with_credentials() {
    let mock = start().await;
    for path in ["/accounts/api/logout/", "/accounts/api/logout"] {
        let get = |origin: &str| mock.http.get(mock.url(path)).header("Origin", origin);
        let response = get(ORIGIN)
            .header("Cookie", "anypoint_mock_session=unknown")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(allowed_origin(&response).as_deref(), Some(ORIGIN), "{path}");
        assert_eq!(
            response.headers()["access-control-allow-credentials"],
            "true"
        );
        assert!(response.headers().contains_key("set-cookie"));

        let preflight = mock
            .preflight(path, "http://127.0.0.1:8080", "GET", None)
            .await;
        assert!(preflight.status().is_success());
        assert_eq!(
            allowed_origin(&preflight).as_deref(),
            Some("http://127.0.0.1:8080")
        );

        let evil = get("https://evil.example").send().await.unwrap();
        assert_eq!(allowed_origin(&evil), None, "{path}");
    }
}
