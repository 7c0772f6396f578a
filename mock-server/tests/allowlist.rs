//! Allowlisting: an administrator approves an app with its current scopes; scopes added
//! later cannot be requested until re-approved, while approved ones keep working.

mod common;

use common::*;
use reqwest::Method;
use serde_json::json;

async fn authorize_scope(mock: &Mock, scope: &str) -> std::collections::HashMap<String, String> {
    let (_, challenge) = pkce();
    let mut params = pkce_params(PLAYGROUND, PLAYGROUND_REDIRECT, scope, &challenge);
    params.push(("login_hint", "max"));
    location_query(mock.authorize(&params).await.headers())
}

#[tokio::test]
async fn new_scopes_wait_for_re_approval() {
    let mock = start().await;
    let before = mock.sign_in("openid offline_access").await;
    let allowlist = app_path(PLAYGROUND, "/allowlist");
    let scopes_path = app_path(PLAYGROUND, "/scopes");
    let approved = mock.admin(Method::PUT, &allowlist, None).await;
    assert_eq!(approved.status, 200);
    assert_eq!(approved.body["allowlisted"], true);

    let mut scopes = mock.admin_get(&scopes_path).await.body["scopes"].clone();
    scopes.as_array_mut().unwrap().push(json!("read:exchange"));
    let added = mock
        .admin(Method::PUT, &scopes_path, Some(json!({"scopes": scopes})))
        .await;
    assert_eq!(added.status, 200);

    let refused = authorize_scope(&mock, "openid read:exchange").await;
    assert_eq!(refused["error"], "invalid_scope");
    assert!(
        refused["error_description"].contains("allowlist"),
        "{}",
        refused["error_description"]
    );

    assert!(
        authorize_scope(&mock, "openid email")
            .await
            .contains_key("code"),
        "approved scopes still work"
    );
    let refreshed = mock.refresh(before.refresh_token()).await;
    assert_eq!(
        refreshed.status, 200,
        "existing authorizations keep working"
    );

    mock.admin(Method::PUT, &allowlist, None).await;
    assert!(
        authorize_scope(&mock, "openid read:exchange")
            .await
            .contains_key("code")
    );

    let removed = mock.admin_delete(&allowlist).await;
    assert_eq!(removed.status, 204);
    let app = mock.admin_get(&app_path(PLAYGROUND, "")).await;
    assert_eq!(app.body["allowlisted"], false);
}

#[tokio::test]
async fn unregistered_scopes_are_refused_with_their_own_reason() {
    let mock = start().await;
    let refused = authorize_scope(&mock, "openid manage:apis").await;
    assert_eq!(refused["error"], "invalid_scope");
    assert!(refused["error_description"].contains("not registered"));
}
