//! Refresh token reuse detection (OAuth 2.0 Security BCP §4.14.2): presenting a rotated
//! refresh token revokes the whole token family.

mod common;

use common::*;

async fn refresh(mock: &Mock, token: &str) -> TokenReply {
    mock.token(&[
        ("grant_type", "refresh_token"),
        ("refresh_token", token),
        ("client_id", PLAYGROUND),
    ])
    .await
}

fn refresh_token(reply: &TokenReply) -> String {
    reply.body["refresh_token"]
        .as_str()
        .unwrap_or_else(|| panic!("no refresh_token in {}", reply.body))
        .to_owned()
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
async fn reusing_a_rotated_refresh_token_revokes_the_family() {
    let mock = start().await;
    let first = mock.sign_in("openid offline_access").await;
    let second = refresh(&mock, &refresh_token(&first)).await;
    assert_eq!(second.status, 200);
    let third = refresh(&mock, &refresh_token(&second)).await;
    assert_eq!(third.status, 200);
    let access = [
        first.access_token(),
        second.access_token(),
        third.access_token(),
    ];
    for token in access {
        assert_eq!(userinfo_status(&mock, token).await, 200);
    }

    let reuse = refresh(&mock, &refresh_token(&first)).await;
    assert_eq!(
        (reuse.status.as_u16(), reuse.error()),
        (400, "invalid_grant")
    );
    assert!(
        reuse.body["error_description"]
            .as_str()
            .unwrap()
            .contains("already used")
    );
    let current = refresh(&mock, &refresh_token(&third)).await;
    assert_eq!(
        current.error(),
        "invalid_grant",
        "the current refresh token is revoked"
    );
    for token in access {
        assert_eq!(userinfo_status(&mock, token).await, 401);
    }
}

#[tokio::test]
async fn other_sign_ins_are_untouched() {
    let mock = start().await;
    let family = mock.sign_in("openid offline_access").await;
    let other = mock.sign_in("openid offline_access").await;
    let rotated = refresh(&mock, &refresh_token(&family)).await;
    assert_eq!(
        refresh(&mock, &refresh_token(&family)).await.error(),
        "invalid_grant"
    );
    assert_eq!(userinfo_status(&mock, rotated.access_token()).await, 401);
    assert_eq!(userinfo_status(&mock, other.access_token()).await, 200);
    assert_eq!(refresh(&mock, &refresh_token(&other)).await.status, 200);
}

#[tokio::test]
async fn another_client_presenting_it_revokes_nothing() {
    let mock = start().await;
    let first = mock.sign_in("openid offline_access").await;
    let second = refresh(&mock, &refresh_token(&first)).await;
    let foreign = mock
        .token_basic(
            BACKEND,
            BACKEND_SECRET,
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", &refresh_token(&first)),
            ],
        )
        .await;
    assert_eq!(foreign.error(), "invalid_grant");
    assert_eq!(userinfo_status(&mock, second.access_token()).await, 200);
    assert_eq!(refresh(&mock, &refresh_token(&second)).await.status, 200);
}
