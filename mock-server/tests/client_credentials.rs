//! The client credentials grant: the app acts as its owner and always has `profile`.

mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn the_default_ci_app_gets_a_token_with_profile() {
    let mock = start().await;
    let reply = mock.client_credentials(CI_CLIENT, CI_SECRET).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.headers["cache-control"], "no-store");
    let scope = reply.body["scope"].as_str().unwrap();
    assert!(scope.split(' ').any(|s| s == "profile"));
    assert!(reply.body.get("refresh_token").is_none());
    assert!(reply.body.get("id_token").is_none());
    let me = mock.me(reply.access_token()).await;
    assert_eq!(me["user"]["username"], "max", "the creator's identity");
}

#[tokio::test]
async fn profile_is_added_to_requested_scopes() {
    let mock = start().await;
    let reply = mock
        .token(&[
            ("grant_type", "client_credentials"),
            ("client_id", CI_CLIENT),
            ("client_secret", CI_SECRET),
            ("scope", "read:exchange"),
        ])
        .await;
    assert_eq!(reply.body["scope"], "read:exchange profile");
    let bad = mock
        .token_basic(
            CI_CLIENT,
            CI_SECRET,
            &[("grant_type", "client_credentials"), ("scope", "full")],
        )
        .await;
    assert_eq!(bad.error(), "invalid_scope");
}

#[tokio::test]
async fn google_wif_scope_returns_an_id_token() {
    let mock = start().await;
    let app = mock
        .create_app(json!({
            "client_name": "GCP federation",
            "grant_types": ["client_credentials"],
            "scopes": ["openid:google_wif"],
        }))
        .await;
    assert_eq!(app["acts_on_behalf_of_user"], false);
    let (id, secret) = credentials(&app);
    let reply = mock.client_credentials(id, secret).await;
    let id_token = reply.body["id_token"]
        .as_str()
        .expect("an ID token for WIF");
    assert_eq!(jwt_claims(id_token)["aud"], app["client_id"]);
    assert!(verifies_with_jwks(&mock, id_token).await);
}

#[tokio::test]
async fn user_apps_and_public_clients_cannot_use_client_credentials() {
    let mock = start().await;
    let public = mock
        .token(&[
            ("grant_type", "client_credentials"),
            ("client_id", PLAYGROUND),
        ])
        .await;
    assert_eq!(public.error(), "unauthorized_client");
    let app = mock
        .confidential_app("User app", &["authorization_code"], &["openid"])
        .await;
    let (id, secret) = credentials(&app);
    let reply = mock.client_credentials(id, secret).await;
    assert_eq!(reply.status_error(), (400, "unauthorized_client"));
}

#[tokio::test]
async fn profile_may_be_asked_for_explicitly_even_when_not_registered() {
    let mock = start().await;
    let app = mock
        .confidential_app(
            "Exchange reader",
            &["client_credentials"],
            &["read:exchange"],
        )
        .await;
    let (id, secret) = credentials(&app);
    for scope in ["profile", "profile read:exchange"] {
        let reply = mock
            .token_basic(
                id,
                secret,
                &[("grant_type", "client_credentials"), ("scope", scope)],
            )
            .await;
        assert_eq!(reply.status, 200, "{scope}: {}", reply.body);
        let granted: Vec<&str> = reply.body["scope"].as_str().unwrap().split(' ').collect();
        assert!(granted.contains(&"profile"), "{scope}: {granted:?}");
    }
    let unregistered = mock
        .token_basic(
            id,
            secret,
            &[
                ("grant_type", "client_credentials"),
                ("scope", "profile email"),
            ],
        )
        .await;
    assert_eq!(unregistered.error(), "invalid_scope");
}

#[tokio::test]
async fn tokens_act_as_the_owner_at_the_time_they_are_used() {
    let mock = start().await;
    let ada = mock
        .admin_post(
            "/accounts/api/users",
            json!({"username": "ada", "password": "password1", "firstName": "Ada",
                   "lastName": "Admin", "email": "ada@example.com", "admin": true}),
        )
        .await;
    assert_eq!(ada.status, 201, "{}", ada.body);
    let app = mock
        .create_app(json!({
            "client_name": "Owned by Ada",
            "grant_types": ["client_credentials"],
            "scopes": ["read:exchange"],
            "owner": "ada",
        }))
        .await;
    let (id, secret) = credentials(&app);
    let token = mock.client_credentials(id, secret).await;
    assert_eq!(
        mock.me(token.access_token()).await["user"]["username"],
        "ada"
    );

    let moved = mock
        .admin_patch(&app_path(id, ""), json!({"owner": "max"}))
        .await;
    assert_eq!(moved.status, 200, "{}", moved.body);
    assert_eq!(
        mock.me(token.access_token()).await["user"]["username"],
        "max",
        "the same token now acts as the new owner"
    );
    let introspected = send(
        mock.http
            .post(mock.url(INTROSPECT))
            .basic_auth(id, Some(secret))
            .form(&[("token", token.access_token())]),
    )
    .await;
    assert_eq!(
        introspected.body["username"], "max",
        "{}",
        introspected.body
    );
}
