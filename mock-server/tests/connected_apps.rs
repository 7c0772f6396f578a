//! The Connected Apps admin API: create, read, list, update, delete, scopes, secrets,
//! validation and limits.

mod common;

use common::*;
use reqwest::Method;
use serde_json::{Value, json};

fn path(client_id: &Value, tail: &str) -> String {
    app_path(client_id.as_str().unwrap(), tail)
}

/// `POST .../client_secret` for `client_id`, with `body` if given.
async fn set_secret(mock: &Mock, client_id: &str, body: Option<Value>) -> TokenReply {
    mock.admin(Method::POST, &app_path(client_id, "/client_secret"), body)
        .await
}

#[tokio::test]
async fn the_api_needs_the_admin_token() {
    let mock = start().await;
    let anonymous = mock.get(APPS).await;
    assert_eq!(anonymous.status(), 401);
    let wrong = mock.get_bearer(APPS, "guess").await;
    assert_eq!(wrong.status(), 401);
    let body: Value = wrong.json().await.unwrap();
    assert_eq!(body["error"], "unauthorized");
}

#[tokio::test]
async fn create_read_list_update_delete() {
    let mock = start().await;
    let created = mock
        .create_app(json!({
            "client_name": "Deploy bot",
            "grant_types": ["authorization_code", "refresh_token"],
            "scopes": ["openid", "offline_access", "read:exchange"],
            "redirect_uris": ["https://bot.example.test/cb"],
            "audience": "everyone",
            "website_url": "https://bot.example.test/",
        }))
        .await;
    let id = created["client_id"].clone();
    let id_text = id.as_str().unwrap();
    assert_eq!(id_text.len(), 32);
    assert!(id_text.chars().all(|c| c.is_ascii_hexdigit()));
    assert!(created["client_secret"].as_str().unwrap().len() >= 16);
    assert_eq!(created["public_client"], false);
    assert_eq!(created["acts_on_behalf_of_user"], true);
    assert_eq!(created["owner"]["username"], "max");
    assert_eq!(created["organization_id"], ORG_ID);

    let read = mock.admin_get(&path(&id, "")).await;
    assert_eq!(read.body["client_name"], "Deploy bot");
    assert_eq!(read.body["audience"], "everyone");

    let list = mock.admin_get(APPS).await;
    assert_eq!(list.body["total"], 4, "three defaults and the new app");

    let updated = mock
        .admin_patch(&path(&id, ""), json!({"client_name": "Deploy robot"}))
        .await;
    assert_eq!(updated.status, 200);
    assert_eq!(updated.body["client_name"], "Deploy robot");
    assert_eq!(
        updated.body["scopes"], created["scopes"],
        "untouched fields stay"
    );

    let immutable = mock
        .admin_patch(&path(&id, ""), json!({"client_id": "mine"}))
        .await;
    assert_eq!(immutable.status, 400);
    let chosen = mock
        .admin_post(APPS, json!({"client_id": "mine", "client_name": "x", "grant_types": ["client_credentials"], "scopes": []}))
        .await;
    assert_eq!(chosen.status, 400, "client ids are generated");

    assert_eq!(mock.admin_delete(&path(&id, "")).await.status, 204);
    assert_eq!(mock.admin_get(&path(&id, "")).await.status, 404);
    assert_eq!(mock.admin_delete(&path(&id, "")).await.status, 404);
}

#[tokio::test]
async fn deleting_an_app_ends_its_tokens() {
    let mock = start().await;
    let app = mock
        .create_app(json!({"client_name": "Short-lived", "grant_types": ["client_credentials"], "scopes": ["read:exchange"]}))
        .await;
    let (id, secret) = credentials(&app);
    let tokens = mock.client_credentials(id, secret).await;
    mock.admin_delete(&path(&app["client_id"], "")).await;
    let me = mock.get_bearer(ME, tokens.access_token()).await;
    assert_eq!(me.status(), 401);
}

#[tokio::test]
async fn validation_errors_are_clear_400s() {
    let mock = start().await;
    let base = json!({
        "client_name": "Valid",
        "grant_types": ["authorization_code"],
        "scopes": ["openid"],
        "redirect_uris": ["https://ok.example.test/cb"],
    });
    let cases = [
        ("client_name", json!(""), "client_name"),
        ("grant_types", json!(["implicit"]), "unknown grant type"),
        ("grant_types", json!([]), "grant_types"),
        ("redirect_uris", json!(["not a uri"]), "redirect_uris[0]"),
        (
            "redirect_uris",
            json!(["https://ok.example.test/cb#frag"]),
            "fragment",
        ),
        ("redirect_uris", json!(["javascript:alert(1)"]), "scheme"),
        ("redirect_uris", json!([]), "redirect URI"),
        ("scopes", json!(["everything"]), "unknown scope"),
        ("audience", json!("world"), "audience"),
        ("website_url", json!("ftp://x"), "website_url"),
        (
            "grant_types",
            json!(["authorization_code", "client_credentials"]),
            "client_credentials",
        ),
        ("owner", json!("nobody"), "owner"),
    ];
    for (field, value, needle) in cases {
        let mut body = base.clone();
        body[field] = value.clone();
        let reply = mock.admin_post(APPS, body).await;
        assert_eq!(reply.status, 400, "{field}={value}: {}", reply.body);
        assert_eq!(reply.body["error"], "bad_request");
        let message = reply.body["message"].as_str().unwrap();
        assert!(message.contains(needle), "{field}={value}: {message}");
    }
    let unknown_field = mock
        .admin_post(APPS, json!({"client_name": "x", "colour": "red"}))
        .await;
    assert_eq!(unknown_field.status, 400);
    let public_secret = mock
        .admin_post(
            APPS,
            json!({"client_name": "SPA", "grant_types": ["authorization_code"], "scopes": ["openid"], "redirect_uris": ["https://ok.example.test/"], "public_client": true, "client_secret": "secret-123"}),
        )
        .await;
    assert_eq!(public_secret.status, 400);
}

#[tokio::test]
async fn names_are_unique_in_the_organization() {
    let mock = start().await;
    mock.create_app(
        json!({"client_name": "Twin", "grant_types": ["client_credentials"], "scopes": []}),
    )
    .await;
    let again = mock
        .admin_post(
            APPS,
            json!({"client_name": "twin", "grant_types": ["client_credentials"], "scopes": []}),
        )
        .await;
    assert_eq!(again.status, 409);
    assert_eq!(again.body["error"], "conflict");
}

#[tokio::test]
async fn scopes_subresource() {
    let mock = start().await;
    let app = mock
        .confidential_app("Scoped", &["authorization_code"], &["openid"])
        .await;
    let scopes = path(&app["client_id"], "/scopes");
    assert_eq!(
        mock.admin_get(&scopes).await.body["scopes"],
        json!(["openid"])
    );
    let set = mock
        .admin(
            Method::PUT,
            &scopes,
            Some(json!({"scopes": ["openid", "manage:apis"]})),
        )
        .await;
    assert_eq!(set.status, 200);
    assert_eq!(
        mock.admin_get(&path(&app["client_id"], "")).await.body["scopes"],
        json!(["openid", "manage:apis"])
    );
    let bad = mock
        .admin(Method::PUT, &scopes, Some(json!({"scopes": ["bogus"]})))
        .await;
    assert_eq!(bad.status, 400);
}

#[tokio::test]
async fn client_secret_can_be_set_or_rotated_and_the_old_one_stops_working() {
    let mock = start().await;
    let chosen = set_secret(
        &mock,
        CI_CLIENT,
        Some(json!({"client_secret": "my-own-secret"})),
    )
    .await;
    assert_eq!(chosen.status, 200);
    let status = |secret| mock.client_credentials(CI_CLIENT, secret);
    assert_eq!(status(CI_SECRET).await.status, 401);
    assert_eq!(status("my-own-secret").await.status, 200);
    let rotated = set_secret(&mock, CI_CLIENT, None).await;
    let secret = rotated.body["client_secret"].as_str().unwrap();
    assert_ne!(secret, "my-own-secret");
    assert_eq!(status("my-own-secret").await.status, 401);
    assert_eq!(status(secret).await.status, 200);
    let short = set_secret(&mock, CI_CLIENT, Some(json!({"client_secret": "short"}))).await;
    assert_eq!(short.status, 400);
    let public = set_secret(&mock, PLAYGROUND, None).await;
    assert_eq!(public.status, 400);
}

#[tokio::test]
async fn at_most_1000_scopes_per_app() {
    let mock = start().await;
    let scopes: Vec<String> = (0..1001).map(|i| format!("read:thing{i}")).collect();
    let reply = mock
        .admin_post(
            APPS,
            json!({"client_name": "Greedy", "grant_types": ["client_credentials"], "scopes": scopes}),
        )
        .await;
    assert_eq!(reply.status, 422);
    assert_eq!(reply.body["error"], "limit_exceeded");
    assert!(reply.body["message"].as_str().unwrap().contains("1000"));
    let ok = mock
        .admin_post(
            APPS,
            json!({"client_name": "Greedy", "grant_types": ["client_credentials"], "scopes": scopes[..1000]}),
        )
        .await;
    assert_eq!(ok.status, 201);
}

#[tokio::test]
async fn at_most_2000_apps_per_organization() {
    let mock = start().await;
    // Three default apps already exist.
    for i in 0..1997 {
        let reply = mock
            .admin_post(
                APPS,
                json!({"client_name": format!("App {i}"), "grant_types": ["client_credentials"], "scopes": []}),
            )
            .await;
        assert_eq!(reply.status, 201, "app {i}: {}", reply.body);
    }
    let over = mock
        .admin_post(APPS, json!({"client_name": "One too many", "grant_types": ["client_credentials"], "scopes": []}))
        .await;
    assert_eq!(over.status, 422);
    assert_eq!(over.body["error"], "limit_exceeded");
    assert!(over.body["message"].as_str().unwrap().contains("2000"));
}
