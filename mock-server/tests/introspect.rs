//! Token introspection (RFC 7662).

mod common;

use common::*;

async fn introspect(mock: &Mock, id: &str, secret: &str, token: &str) -> TokenReply {
    send(
        mock.http
            .post(mock.url(INTROSPECT))
            .basic_auth(id, Some(secret))
            .form(&[("token", token)]),
    )
    .await
}

#[tokio::test]
async fn active_tokens_are_described_and_others_are_inactive() {
    let mock = start().await;
    let tokens = mock.sign_in("openid offline_access").await;
    let access = introspect(&mock, CI_CLIENT, CI_SECRET, tokens.access_token()).await;
    assert_eq!(access.status, 200);
    assert_eq!(access.body["active"], true);
    assert_eq!(access.body["client_id"], PLAYGROUND);
    assert_eq!(access.body["username"], "max");
    assert_eq!(access.body["sub"], USER_ID);
    assert_eq!(access.body["scope"], "openid offline_access");
    assert_eq!(access.body["token_type"], "access_token");
    assert!(access.body["exp"].as_u64().unwrap() > access.body["iat"].as_u64().unwrap());
    let refresh = introspect(&mock, CI_CLIENT, CI_SECRET, tokens.refresh_token()).await;
    assert_eq!(refresh.body["token_type"], "refresh_token");
    let unknown = introspect(&mock, CI_CLIENT, CI_SECRET, "never-issued").await;
    assert_eq!(unknown.body, serde_json::json!({"active": false}));
}

#[tokio::test]
async fn introspection_needs_a_confidential_client() {
    let mock = start().await;
    let tokens = mock.sign_in("openid").await;
    let wrong = introspect(&mock, CI_CLIENT, "wrong-secret", tokens.access_token()).await;
    assert_eq!(wrong.status_error(), (401, "invalid_client"));
    let public = send(
        mock.http
            .post(mock.url(INTROSPECT))
            .form(&[("token", tokens.access_token()), ("client_id", PLAYGROUND)]),
    )
    .await;
    assert_eq!(public.status_error(), (401, "invalid_client"));
}
