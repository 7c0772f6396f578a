//! Ownership: the root organization owner inherits an app whose owner is deleted, removed
//! from the organization or demoted; administrators can transfer ownership.

mod common;

use common::*;
use serde_json::{Value, json};

async fn admin_user(mock: &Mock, username: &str) -> Value {
    let reply = mock
        .admin_post(
            "/accounts/api/users",
            json!({
                "username": username,
                "password": "password1",
                "firstName": "Ada",
                "lastName": username,
                "email": format!("{username}@example.com"),
                "admin": true,
            }),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    assert!(reply.body.get("password").is_none());
    reply.body
}

/// The admin API path of a user as the admin API answered it.
fn user_path(user: &Value) -> String {
    format!("/accounts/api/users/{}", user["id"].as_str().unwrap())
}

async fn app_owned_by(mock: &Mock, owner: &str) -> String {
    let app = mock
        .create_app(json!({
            "client_name": format!("Owned by {owner}"),
            "grant_types": ["client_credentials"],
            "scopes": ["read:exchange"],
            "owner": owner,
        }))
        .await;
    assert_eq!(app["owner"]["username"], owner);
    app["client_id"].as_str().unwrap().to_owned()
}

async fn owner_of(mock: &Mock, client_id: &str) -> Value {
    mock.admin_get(&app_path(client_id, "")).await.body["owner"]["username"].clone()
}

#[tokio::test]
async fn deleting_the_owner_hands_the_app_to_the_root_owner() {
    let mock = start().await;
    let ada = admin_user(&mock, "ada").await;
    let app = app_owned_by(&mock, "ada").await;
    let deleted = mock.admin_delete(&user_path(&ada)).await;
    assert_eq!(deleted.status, 204);
    assert_eq!(owner_of(&mock, &app).await, "max");
}

#[tokio::test]
async fn removing_the_owner_from_the_organization_hands_the_app_over() {
    let mock = start().await;
    let bea = admin_user(&mock, "bea").await;
    let app = app_owned_by(&mock, "bea").await;
    let removed = mock
        .admin_delete(&format!(
            "/accounts/api/organizations/{ORG_ID}/users/{}",
            bea["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(removed.status, 204);
    assert_eq!(owner_of(&mock, &app).await, "max");
}

#[tokio::test]
async fn revoking_admin_rights_hands_the_app_over() {
    let mock = start().await;
    let cid = admin_user(&mock, "cid").await;
    let app = app_owned_by(&mock, "cid").await;
    let demoted = mock
        .admin_patch(&user_path(&cid), json!({"admin": false}))
        .await;
    assert_eq!(demoted.status, 200);
    assert_eq!(demoted.body["admin"], false);
    assert_eq!(owner_of(&mock, &app).await, "max");
    let to_non_admin = mock
        .admin_patch(&app_path(&app, ""), json!({"owner": "cid"}))
        .await;
    assert_eq!(to_non_admin.status, 400, "only administrators can own apps");
}

#[tokio::test]
async fn administrators_transfer_ownership() {
    let mock = start().await;
    admin_user(&mock, "dan").await;
    let transferred = mock
        .admin_patch(&app_path(CI_CLIENT, ""), json!({"owner": "dan"}))
        .await;
    assert_eq!(transferred.status, 200);
    assert_eq!(transferred.body["owner"]["username"], "dan");
    let token = mock.client_credentials(CI_CLIENT, CI_SECRET).await;
    let me = mock.me(token.access_token()).await;
    assert_eq!(
        me["user"]["username"], "dan",
        "client credentials act as the owner"
    );
}

#[tokio::test]
async fn the_root_owner_cannot_be_removed() {
    let mock = start().await;
    let reply = mock
        .admin_delete(&format!("/accounts/api/users/{USER_ID}"))
        .await;
    assert_eq!(reply.status, 400);
    assert_eq!(owner_of(&mock, CI_CLIENT).await, "max");
}
