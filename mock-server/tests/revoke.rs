//! Token revocation (RFC 7009).

mod common;

use common::*;

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

async fn revoke(mock: &Mock, form: &[(&str, &str)]) -> TokenReply {
    reply(
        mock.http
            .post(mock.url("/accounts/api/v2/oauth2/revoke"))
            .form(form)
            .send()
            .await
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn revoking_an_access_token() {
    let mock = start().await;
    let tokens = mock.sign_in("openid offline_access").await;
    let access = tokens.access_token();
    assert_eq!(userinfo_status(&mock, access).await, 200);
    let reply = revoke(&mock, &[("token", access), ("client_id", PLAYGROUND)]).await;
    assert_eq!(reply.status, 200);
    assert_eq!(userinfo_status(&mock, access).await, 401);
    let refreshed = mock
        .token(&[
            ("grant_type", "refresh_token"),
            (
                "refresh_token",
                tokens.body["refresh_token"].as_str().unwrap(),
            ),
            ("client_id", PLAYGROUND),
        ])
        .await;
    assert_eq!(refreshed.status, 200, "the refresh token survives");
}

#[tokio::test]
async fn revoking_a_refresh_token_revokes_its_grant() {
    let mock = start().await;
    let tokens = mock.sign_in("openid offline_access").await;
    let refresh = tokens.body["refresh_token"].as_str().unwrap();
    let reply = revoke(
        &mock,
        &[
            ("token", refresh),
            ("token_type_hint", "refresh_token"),
            ("client_id", PLAYGROUND),
        ],
    )
    .await;
    assert_eq!(reply.status, 200);
    assert_eq!(userinfo_status(&mock, tokens.access_token()).await, 401);
    let refreshed = mock
        .token(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh),
            ("client_id", PLAYGROUND),
        ])
        .await;
    assert_eq!(refreshed.error(), "invalid_grant");
}

#[tokio::test]
async fn unknown_tokens_answer_200_and_other_clients_tokens_are_refused() {
    let mock = start().await;
    let unknown = revoke(
        &mock,
        &[("token", "never-issued"), ("client_id", PLAYGROUND)],
    )
    .await;
    assert_eq!(unknown.status, 200);
    let tokens = mock.sign_in("openid").await;
    let stolen = reply(
        mock.http
            .post(mock.url("/accounts/api/v2/oauth2/revoke"))
            .basic_auth(CI_CLIENT, Some(CI_SECRET))
            .form(&[("token", tokens.access_token())])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(stolen.status, 400);
    assert_eq!(userinfo_status(&mock, tokens.access_token()).await, 200);
    let anonymous = revoke(&mock, &[("token", tokens.access_token())]).await;
    assert_eq!(
        (anonymous.status.as_u16(), anonymous.error()),
        (401, "invalid_client")
    );
    let no_token = revoke(&mock, &[("client_id", PLAYGROUND)]).await;
    assert_eq!(no_token.error(), "invalid_request");
}
