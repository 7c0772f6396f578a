//! Token revocation (RFC 7009).

mod common;

use common::*;

async fn revoke(mock: &Mock, form: &[(&str, &str)]) -> TokenReply {
    send(mock.http.post(mock.url(REVOKE)).form(form)).await
}

#[tokio::test]
async fn revoking_an_access_token() {
    let mock = start().await;
    let tokens = mock.sign_in("openid offline_access").await;
    let access = tokens.access_token();
    assert_eq!(mock.userinfo_status(access).await, 200);
    let reply = revoke(&mock, &[("token", access), ("client_id", PLAYGROUND)]).await;
    assert_eq!(reply.status, 200);
    assert_eq!(mock.userinfo_status(access).await, 401);
    let refreshed = mock.refresh(tokens.refresh_token()).await;
    assert_eq!(refreshed.status, 200, "the refresh token survives");
}

#[tokio::test]
async fn revoking_a_refresh_token_revokes_its_grant() {
    let mock = start().await;
    let tokens = mock.sign_in("openid offline_access").await;
    let refresh = tokens.refresh_token();
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
    assert_eq!(mock.userinfo_status(tokens.access_token()).await, 401);
    let refreshed = mock.refresh(refresh).await;
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
    let stolen = send(
        mock.http
            .post(mock.url(REVOKE))
            .basic_auth(CI_CLIENT, Some(CI_SECRET))
            .form(&[("token", tokens.access_token())]),
    )
    .await;
    assert_eq!(stolen.status, 400);
    assert_eq!(mock.userinfo_status(tokens.access_token()).await, 200);
    let anonymous = revoke(&mock, &[("token", tokens.access_token())]).await;
    assert_eq!(anonymous.status_error(), (401, "invalid_client"));
    let no_token = revoke(&mock, &[("client_id", PLAYGROUND)]).await;
    assert_eq!(no_token.error(), "invalid_request");
}
