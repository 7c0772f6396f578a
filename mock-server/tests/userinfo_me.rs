//! Protected resources: the OpenID Connect userinfo endpoint and /accounts/api/me.

mod common;

use common::*;
use reqwest::Response;
use serde_json::Value;

/// The `WWW-Authenticate` challenge of a refused request.
fn challenge(response: &Response) -> &str {
    response.headers()["www-authenticate"].to_str().unwrap()
}

#[tokio::test]
async fn userinfo_returns_claims_allowed_by_scopes() {
    let mock = start().await;
    let tokens = mock.sign_in("openid email").await;
    let response = mock.get_bearer(USERINFO, tokens.access_token()).await;
    assert_eq!(response.status(), 200);
    let claims: Value = response.json().await.unwrap();
    assert_eq!(claims["sub"], USER_ID);
    assert_eq!(claims["preferred_username"], "max");
    assert_eq!(claims["email"], "max@example.com");
    assert!(claims.get("name").is_none());
}

#[tokio::test]
async fn userinfo_refuses_missing_bad_and_insufficient_tokens() {
    let mock = start().await;
    let missing = mock.get(USERINFO).await;
    assert_eq!(missing.status(), 401);
    assert!(challenge(&missing).starts_with("Bearer"));
    let bad = mock.get_bearer(USERINFO, "forged").await;
    assert_eq!(bad.status(), 401);
    assert!(challenge(&bad).contains("invalid_token"));
    let tokens = mock.sign_in("full").await;
    let insufficient = mock.get_bearer(USERINFO, tokens.access_token()).await;
    assert_eq!(insufficient.status(), 403);
    assert!(challenge(&insufficient).contains("insufficient_scope"));
}

#[tokio::test]
async fn access_tokens_expire_after_an_hour() {
    let mock = start().await;
    let tokens = mock.sign_in("openid").await;
    mock.advance(3601).await;
    assert_eq!(mock.userinfo_status(tokens.access_token()).await, 401);
}

#[tokio::test]
async fn me_returns_the_anypoint_profile_shape() {
    let mock = start().await;
    let tokens = mock.sign_in("full").await;
    let response = mock.get_bearer(ME, tokens.access_token()).await;
    assert_eq!(response.status(), 200);
    let me: Value = response.json().await.unwrap();
    let user = &me["user"];
    assert_eq!(user["id"], USER_ID);
    assert_eq!(user["username"], "max");
    assert_eq!(user["firstName"], "Max");
    assert_eq!(user["lastName"], "Mule");
    assert_eq!(user["email"], "max@example.com");
    assert!(user["identityType"].is_string());
    assert_eq!(user["organizationId"], ORG_ID);
    assert_eq!(user["organization"]["id"], ORG_ID);
    assert_eq!(user["organization"]["name"], "Mule Corp");
    assert!(user["organization"]["domain"].is_string());
    assert_eq!(user["memberOfOrganizations"][0]["name"], "Mule Corp");

    let anonymous = mock.get(ME).await;
    assert_eq!(anonymous.status(), 401);
}

#[tokio::test]
async fn me_is_bounded_by_scopes_like_userinfo() {
    let mock = start().await;
    let me = mock.me(mock.sign_in("openid").await.access_token()).await;
    let user = me["user"].as_object().unwrap();
    let mut fields: Vec<&str> = user.keys().map(String::as_str).collect();
    fields.sort_unstable();
    assert_eq!(fields, ["id", "username"], "{me}");
    assert_eq!(user["id"], USER_ID);
    assert_eq!(user["username"], "max");

    let me = mock
        .me(mock.sign_in("openid profile").await.access_token())
        .await;
    assert_eq!(me["user"]["firstName"], "Max");
    assert_eq!(me["user"]["organization"]["id"], ORG_ID);
    assert!(me["user"].get("email").is_none(), "{me}");

    let me = mock
        .me(mock.sign_in("openid email").await.access_token())
        .await;
    assert_eq!(me["user"]["email"], "max@example.com");
    assert!(me["user"].get("firstName").is_none(), "{me}");
    assert!(me["user"].get("organization").is_none(), "{me}");
}
