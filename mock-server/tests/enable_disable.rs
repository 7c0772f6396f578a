//! "Developers can enable or disable clients": a disabled app signs no one in and gets no
//! tokens, and the tokens it had stop working for good; enabled again, it works anew.

mod common;

use common::*;
use serde_json::json;

/// Disables or enables an app through the admin API.
async fn set_enabled(mock: &Mock, client_id: &str, enabled: bool) {
    let reply = mock
        .admin_patch(&app_path(client_id, ""), json!({"enabled": enabled}))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.body["enabled"], enabled);
}

#[tokio::test]
async fn apps_are_enabled_unless_disabled() {
    let mock = start().await;
    let app = mock.admin_get(&app_path(CI_CLIENT, "")).await;
    assert_eq!(app.body["enabled"], true);
    let created = mock
        .create_app(json!({
            "client_name": "Created disabled",
            "grant_types": ["client_credentials"],
            "scopes": ["read:exchange"],
            "enabled": false,
        }))
        .await;
    assert_eq!(created["enabled"], false);
    let (id, secret) = credentials(&created);
    assert_eq!(
        mock.client_credentials(id, secret).await.status_error(),
        (401, "invalid_client")
    );
}

#[tokio::test]
async fn a_disabled_app_gets_invalid_client_and_its_tokens_stop_working() {
    let mock = start().await;
    let before = mock.client_credentials(CI_CLIENT, CI_SECRET).await;
    assert_eq!(mock.userinfo_status(before.access_token()).await, 200);

    set_enabled(&mock, CI_CLIENT, false).await;
    let refused = mock.client_credentials(CI_CLIENT, CI_SECRET).await;
    assert_eq!(
        refused.status_error(),
        (401, "invalid_client"),
        "{}",
        refused.body
    );
    assert_eq!(mock.userinfo_status(before.access_token()).await, 401);
    let me = mock.get_bearer(ME, before.access_token()).await;
    assert_eq!(me.status(), 401);

    set_enabled(&mock, CI_CLIENT, true).await;
    let after = mock.client_credentials(CI_CLIENT, CI_SECRET).await;
    assert_eq!(after.status, 200, "{}", after.body);
    assert_eq!(mock.userinfo_status(after.access_token()).await, 200);
    assert_eq!(
        mock.userinfo_status(before.access_token()).await,
        401,
        "tokens from before the app was disabled stay revoked"
    );
}

#[tokio::test]
async fn a_disabled_app_gets_an_error_page_and_loses_its_refresh_tokens_and_codes() {
    let mock = start().await;
    let tokens = mock.sign_in("openid offline_access").await;
    let (code, verifier) = mock.playground_code("openid").await;

    set_enabled(&mock, PLAYGROUND, false).await;
    let (_, challenge) = pkce();
    let mut params = pkce_params(PLAYGROUND, PLAYGROUND_REDIRECT, "openid", &challenge);
    params.push(("login_hint", "max"));
    let page = mock.authorize(&params).await;
    assert_eq!(page.status(), 400);
    assert!(page.headers().get("location").is_none(), "never a redirect");
    assert!(page.text().await.unwrap().contains("disabled"));
    assert_eq!(
        mock.refresh(tokens.refresh_token()).await.status_error(),
        (401, "invalid_client")
    );
    assert_eq!(
        mock.redeem_playground(&code, &verifier)
            .await
            .status_error(),
        (401, "invalid_client")
    );

    set_enabled(&mock, PLAYGROUND, true).await;
    assert_eq!(
        mock.refresh(tokens.refresh_token()).await.status_error(),
        (400, "invalid_grant"),
        "the refresh token went with the disabling"
    );
    assert_eq!(
        mock.redeem_playground(&code, &verifier)
            .await
            .status_error(),
        (400, "invalid_grant")
    );
    assert_eq!(mock.sign_in("openid").await.status, 200);
}

#[tokio::test]
async fn a_disabled_app_cannot_revoke_or_introspect() {
    let mock = start().await;
    let app = mock
        .confidential_app("Introspector", &["client_credentials"], &["read:exchange"])
        .await;
    let (id, secret) = credentials(&app);
    let token = mock.client_credentials(CI_CLIENT, CI_SECRET).await;
    set_enabled(&mock, id, false).await;
    for path in [INTROSPECT, REVOKE] {
        let reply = send(
            mock.http
                .post(mock.url(path))
                .basic_auth(id, Some(secret))
                .form(&[("token", token.access_token())]),
        )
        .await;
        assert_eq!(reply.status_error(), (401, "invalid_client"), "{path}");
    }
}
