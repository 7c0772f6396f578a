//! The refresh token grant: offline_access only, rotation, 90-day lifetime.

mod common;

use common::*;

async fn refresh(mock: &Mock, token: &str, scope: Option<&str>) -> TokenReply {
    let scope: Vec<(&str, &str)> = scope.map(|s| ("scope", s)).into_iter().collect();
    mock.refresh_with(PLAYGROUND, token, &scope).await
}

#[tokio::test]
async fn refresh_rotates_and_the_old_token_stops_working() {
    let mock = start().await;
    let first = mock.sign_in("openid profile offline_access").await;
    let old = first.refresh_token();
    let second = refresh(&mock, old, None).await;
    assert_eq!(second.status, 200, "{}", second.body);
    assert_eq!(second.headers["cache-control"], "no-store");
    let new = second.refresh_token();
    assert_ne!(new, old);
    assert_ne!(second.access_token(), first.access_token());
    let claims = jwt_claims(second.id_token());
    assert_eq!(claims["sub"], USER_ID);
    assert!(claims.get("nonce").is_none());
    assert_eq!(refresh(&mock, new, None).await.status, 200);
    // Presenting the rotated token again is reuse: refresh_reuse.rs.
    let replay = refresh(&mock, old, None).await;
    assert_eq!(replay.status_error(), (400, "invalid_grant"));
}

#[tokio::test]
async fn refresh_can_narrow_but_not_widen_scopes() {
    let mock = start().await;
    let first = mock.sign_in("openid email offline_access").await;
    let token = first.refresh_token();
    let wider = refresh(&mock, token, Some("openid full")).await;
    assert_eq!(wider.error(), "invalid_scope");
    let narrower = refresh(&mock, token, Some("openid")).await;
    assert_eq!(narrower.status, 200);
    assert_eq!(narrower.body["scope"], "openid");
    // The rotated refresh token keeps the original grant.
    let again = refresh(&mock, narrower.refresh_token(), None).await;
    assert_eq!(again.body["scope"], "openid email offline_access");
}

#[tokio::test]
async fn refresh_tokens_expire_after_90_days() {
    let mock = start().await;
    let first = mock.sign_in("openid offline_access").await;
    let token = first.refresh_token();
    mock.advance(89 * 24 * 3600).await;
    let still = refresh(&mock, token, None).await;
    assert_eq!(still.status, 200);
    let rotated = still.refresh_token();
    mock.advance(90 * 24 * 3600 + 1).await;
    let expired = refresh(&mock, rotated, None).await;
    assert_eq!(expired.error(), "invalid_grant");
}

#[tokio::test]
async fn refresh_tokens_are_bound_to_their_client() {
    let mock = start().await;
    let first = mock.sign_in("openid offline_access").await;
    let token = first.refresh_token();
    let app = mock
        .confidential_app(
            "Other",
            &["authorization_code", "refresh_token"],
            &["openid"],
        )
        .await;
    let (id, secret) = credentials(&app);
    let stolen = mock
        .token_basic(
            id,
            secret,
            &[("grant_type", "refresh_token"), ("refresh_token", token)],
        )
        .await;
    assert_eq!(stolen.error(), "invalid_grant");
}
