//! Refresh token reuse detection (OAuth 2.0 Security BCP §4.14.2): presenting a rotated
//! refresh token revokes the whole token family.

mod common;

use common::*;

#[tokio::test]
async fn reusing_a_rotated_refresh_token_revokes_the_family() {
    let mock = start().await;
    let first = mock.sign_in("openid offline_access").await;
    let second = mock.refresh(first.refresh_token()).await;
    assert_eq!(second.status, 200);
    let third = mock.refresh(second.refresh_token()).await;
    assert_eq!(third.status, 200);
    let access = [
        first.access_token(),
        second.access_token(),
        third.access_token(),
    ];
    for token in access {
        assert_eq!(mock.userinfo_status(token).await, 200);
    }

    let reuse = mock.refresh(first.refresh_token()).await;
    assert_eq!(reuse.status_error(), (400, "invalid_grant"));
    assert!(
        reuse.body["error_description"]
            .as_str()
            .unwrap()
            .contains("already used")
    );
    let current = mock.refresh(third.refresh_token()).await;
    assert_eq!(
        current.error(),
        "invalid_grant",
        "the current refresh token is revoked"
    );
    for token in access {
        assert_eq!(mock.userinfo_status(token).await, 401);
    }
}

#[tokio::test]
async fn other_sign_ins_are_untouched() {
    let mock = start().await;
    let family = mock.sign_in("openid offline_access").await;
    let other = mock.sign_in("openid offline_access").await;
    let rotated = mock.refresh(family.refresh_token()).await;
    assert_eq!(
        mock.refresh(family.refresh_token()).await.error(),
        "invalid_grant"
    );
    assert_eq!(mock.userinfo_status(rotated.access_token()).await, 401);
    assert_eq!(mock.userinfo_status(other.access_token()).await, 200);
    assert_eq!(mock.refresh(other.refresh_token()).await.status, 200);
}

#[tokio::test]
async fn another_client_presenting_it_revokes_nothing() {
    let mock = start().await;
    let first = mock.sign_in("openid offline_access").await;
    let second = mock.refresh(first.refresh_token()).await;
    let foreign = mock
        .token_basic(
            BACKEND,
            BACKEND_SECRET,
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", first.refresh_token()),
            ],
        )
        .await;
    assert_eq!(foreign.error(), "invalid_grant");
    assert_eq!(mock.userinfo_status(second.access_token()).await, 200);
    assert_eq!(mock.refresh(second.refresh_token()).await.status, 200);
}
