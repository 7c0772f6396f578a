//! The refresh token grant: offline_access only, rotation, 90-day lifetime.

mod common;

use common::*;

async fn refresh(mock: &Mock, token: &str, scope: Option<&str>) -> TokenReply {
    let mut form = vec![
        ("grant_type", "refresh_token"),
        ("refresh_token", token),
        ("client_id", PLAYGROUND),
    ];
    if let Some(scope) = scope {
        form.push(("scope", scope));
    }
    mock.token(&form).await
}

#[tokio::test]
async fn refresh_rotates_and_the_old_token_stops_working() {
    let mock = start().await;
    let first = mock.sign_in("openid profile offline_access").await;
    let old = first.body["refresh_token"].as_str().unwrap().to_owned();
    let second = refresh(&mock, &old, None).await;
    assert_eq!(second.status, 200, "{}", second.body);
    assert_eq!(second.headers["cache-control"], "no-store");
    let new = second.body["refresh_token"].as_str().unwrap();
    assert_ne!(new, old);
    assert_ne!(second.access_token(), first.access_token());
    let claims = jwt_claims(second.body["id_token"].as_str().unwrap());
    assert_eq!(claims["sub"], USER_ID);
    assert!(claims.get("nonce").is_none());
    assert_eq!(refresh(&mock, new, None).await.status, 200);
    // Presenting the rotated token again is reuse: refresh_reuse.rs.
    let replay = refresh(&mock, &old, None).await;
    assert_eq!(
        (replay.status.as_u16(), replay.error()),
        (400, "invalid_grant")
    );
}

#[tokio::test]
async fn refresh_can_narrow_but_not_widen_scopes() {
    let mock = start().await;
    let first = mock.sign_in("openid email offline_access").await;
    let token = first.body["refresh_token"].as_str().unwrap();
    let wider = refresh(&mock, token, Some("openid full")).await;
    assert_eq!(wider.error(), "invalid_scope");
    let narrower = refresh(&mock, token, Some("openid")).await;
    assert_eq!(narrower.status, 200);
    assert_eq!(narrower.body["scope"], "openid");
    // The rotated refresh token keeps the original grant.
    let again = refresh(
        &mock,
        narrower.body["refresh_token"].as_str().unwrap(),
        None,
    )
    .await;
    assert_eq!(again.body["scope"], "openid email offline_access");
}

#[tokio::test]
async fn refresh_tokens_expire_after_90_days() {
    let mock = start().await;
    let first = mock.sign_in("openid offline_access").await;
    let token = first.body["refresh_token"].as_str().unwrap();
    mock.advance(89 * 24 * 3600).await;
    let still = refresh(&mock, token, None).await;
    assert_eq!(still.status, 200);
    let rotated = still.body["refresh_token"].as_str().unwrap().to_owned();
    mock.advance(90 * 24 * 3600 + 1).await;
    let expired = refresh(&mock, &rotated, None).await;
    assert_eq!(expired.error(), "invalid_grant");
}

#[tokio::test]
async fn refresh_tokens_are_bound_to_their_client() {
    let mock = start().await;
    let first = mock.sign_in("openid offline_access").await;
    let token = first.body["refresh_token"].as_str().unwrap();
    let app = mock
        .confidential_app(
            "Other",
            &["authorization_code", "refresh_token"],
            &["openid"],
        )
        .await;
    let stolen = mock
        .token_basic(
            app["client_id"].as_str().unwrap(),
            app["client_secret"].as_str().unwrap(),
            &[("grant_type", "refresh_token"), ("refresh_token", token)],
        )
        .await;
    assert_eq!(stolen.error(), "invalid_grant");
}
