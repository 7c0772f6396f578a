//! Allowlisting: an administrator approves an app with its current scopes; scopes added
//! later cannot be requested until re-approved, while approved ones keep working.

mod common;

use common::*;
use reqwest::Method;
use serde_json::json;

const APPS: &str = "/accounts/api/connectedApplications";

async fn authorize_scope(mock: &Mock, scope: &str) -> std::collections::HashMap<String, String> {
    let (_, challenge) = pkce();
    let response = mock
        .authorize(&[
            ("client_id", PLAYGROUND),
            ("redirect_uri", PLAYGROUND_REDIRECT),
            ("response_type", "code"),
            ("scope", scope),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
            ("login_hint", "max"),
        ])
        .await;
    location_query(response.headers())
}

#[tokio::test]
async fn new_scopes_wait_for_re_approval() {
    let mock = start().await;
    let before = mock.sign_in("openid offline_access").await;
    let approved = mock
        .admin(Method::PUT, &format!("{APPS}/{PLAYGROUND}/allowlist"), None)
        .await;
    assert_eq!(approved.status, 200);
    assert_eq!(approved.body["allowlisted"], true);

    let mut scopes = mock
        .admin(Method::GET, &format!("{APPS}/{PLAYGROUND}/scopes"), None)
        .await
        .body["scopes"]
        .clone();
    scopes.as_array_mut().unwrap().push(json!("read:exchange"));
    let added = mock
        .admin(
            Method::PUT,
            &format!("{APPS}/{PLAYGROUND}/scopes"),
            Some(json!({"scopes": scopes})),
        )
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
    let refreshed = mock
        .token(&[
            ("grant_type", "refresh_token"),
            (
                "refresh_token",
                before.body["refresh_token"].as_str().unwrap(),
            ),
            ("client_id", PLAYGROUND),
        ])
        .await;
    assert_eq!(
        refreshed.status, 200,
        "existing authorizations keep working"
    );

    mock.admin(Method::PUT, &format!("{APPS}/{PLAYGROUND}/allowlist"), None)
        .await;
    assert!(
        authorize_scope(&mock, "openid read:exchange")
            .await
            .contains_key("code")
    );

    let removed = mock
        .admin(
            Method::DELETE,
            &format!("{APPS}/{PLAYGROUND}/allowlist"),
            None,
        )
        .await;
    assert_eq!(removed.status, 204);
    let app = mock
        .admin(Method::GET, &format!("{APPS}/{PLAYGROUND}"), None)
        .await;
    assert_eq!(app.body["allowlisted"], false);
}

#[tokio::test]
async fn unregistered_scopes_are_refused_with_their_own_reason() {
    let mock = start().await;
    let refused = authorize_scope(&mock, "openid manage:apis").await;
    assert_eq!(refused["error"], "invalid_scope");
    assert!(refused["error_description"].contains("not registered"));
}
