//! Retention: codes, refresh tokens, sessions and revocations are purged once they expired,
//! and access tokens cost no memory at all, so a mock left running under load stays small.
//! Time moves through the mock's clock (`POST /__mock/clock`), never by waiting.

mod common;

use common::*;
use serde_json::Value;

/// Sign-ins through the playground with a refresh token, leaving `n` redeemed codes, `n`
/// refresh tokens and `n` signed-in sessions behind.
async fn sign_ins(mock: &Mock, n: usize) -> Vec<TokenReply> {
    let mut replies = Vec::new();
    for _ in 0..n {
        let reply = mock.sign_in("openid offline_access").await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        replies.push(reply);
    }
    replies
}

fn count(stats: &Value, what: &str) -> u64 {
    stats[what]
        .as_u64()
        .unwrap_or_else(|| panic!("{what} in {stats}"))
}

#[tokio::test]
async fn codes_are_purged_once_their_replay_window_is_over() {
    let mock = start().await;
    sign_ins(&mock, 3).await;
    assert_eq!(count(&mock.stats().await, "codes"), 3);
    // A redeemed code is remembered 60 s + 10 minutes, so that a late replay is caught.
    mock.advance(60 + 600 - 5).await;
    assert_eq!(count(&mock.stats().await, "codes"), 3);
    mock.advance(10).await;
    assert_eq!(count(&mock.stats().await, "codes"), 0);
}

#[tokio::test]
async fn refresh_tokens_and_sessions_are_purged_when_they_expire() {
    let mock = start().await;
    let replies = sign_ins(&mock, 3).await;
    let rotated = mock.refresh(replies[0].refresh_token()).await;
    assert_eq!(rotated.status, 200, "{}", rotated.body);
    let stats = mock.stats().await;
    assert_eq!(count(&stats, "refresh_tokens"), 3);
    assert_eq!(count(&stats, "rotated_refresh_tokens"), 1);
    assert_eq!(count(&stats, "sessions"), 3);

    // Signed-in sessions last an hour, like Anypoint's default session.
    mock.advance(3600).await;
    assert_eq!(count(&mock.stats().await, "sessions"), 0);

    mock.advance(90 * 24 * 3600).await;
    let stats = mock.stats().await;
    assert_eq!(count(&stats, "refresh_tokens"), 0, "{stats}");
    assert_eq!(count(&stats, "rotated_refresh_tokens"), 0, "{stats}");
    assert_eq!(
        mock.refresh(rotated.refresh_token()).await.error(),
        "invalid_grant"
    );
}

#[tokio::test]
async fn client_credentials_tokens_are_not_stored() {
    let mock = start().await;
    let mut tokens = Vec::new();
    for _ in 0..50 {
        let reply = mock.client_credentials(CI_CLIENT, CI_SECRET).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        tokens.push(reply.access_token().to_owned());
    }
    let stats = mock.stats().await;
    assert_eq!(count(&stats, "access_tokens_issued"), 50);
    for what in [
        "codes",
        "refresh_tokens",
        "sessions",
        "revoked_access_tokens",
        "revoked_grants",
    ] {
        assert_eq!(count(&stats, what), 0, "{what}: {stats}");
    }
    // Not stored, and still honoured until they expire.
    assert_eq!(mock.userinfo_status(&tokens[0]).await, 200);
    assert_eq!(mock.userinfo_status(&tokens[49]).await, 200);
    mock.advance(3600).await;
    assert_eq!(mock.userinfo_status(&tokens[49]).await, 401);
}

#[tokio::test]
async fn a_revocation_is_forgotten_once_the_token_has_expired() {
    let mock = start().await;
    let token = mock.client_credentials(CI_CLIENT, CI_SECRET).await;
    let revoked = mock
        .http
        .post(mock.url(REVOKE))
        .basic_auth(CI_CLIENT, Some(CI_SECRET))
        .form(&[("token", token.access_token())])
        .send()
        .await
        .expect("revoke answers");
    assert_eq!(revoked.status(), 200);
    assert_eq!(mock.userinfo_status(token.access_token()).await, 401);
    assert_eq!(count(&mock.stats().await, "revoked_access_tokens"), 1);
    mock.advance(3600).await;
    assert_eq!(count(&mock.stats().await, "revoked_access_tokens"), 0);
    assert_eq!(
        mock.userinfo_status(token.access_token()).await,
        401,
        "expired by then"
    );
}

#[tokio::test]
async fn stats_need_the_admin_token() {
    let mock = start().await;
    let response = mock.get("/__mock/stats").await;
    assert_eq!(response.status(), 401);
}
