//! "Only developers who have the organization administrator permission can create apps":
//! the connected-apps API takes such a user's access token (scope `full`, or `read:full`
//! for reading) for the apps of their organization, answers 403 to a signed-in user
//! without the permission, and keeps the static admin token.

mod common;

use common::*;
use reqwest::Method;
use serde_json::{Value, json};

const PARTNER_ORG: &str = "0a1b2c3d-0000-4000-8000-00000000beef";

/// A mock with Ada (administrator of Mule Corp), Nora (member of Mule Corp, no permission)
/// and Pat (administrator of Partner Inc, which owns one app).
async fn start_with_people() -> Mock {
    let seed = json!({
        "organizations": [{"id": PARTNER_ORG, "name": "Partner Inc", "domain": "partner"}],
        "users": [
            {"username": "ada", "password": "password1", "firstName": "Ada", "lastName": "Admin",
             "email": "ada@example.com", "admin": true},
            {"username": "nora", "password": "password1", "firstName": "Nora", "lastName": "Member",
             "email": "nora@example.com"},
            {"username": "pat", "password": "password1", "firstName": "Pat", "lastName": "Partner",
             "email": "pat@example.com", "admin": true, "organizationId": PARTNER_ORG}
        ],
        "apps": [
            {"client_id": "partner-app", "client_name": "Partner app", "organization_id": PARTNER_ORG,
             "owner": "pat", "grant_types": ["client_credentials"], "scopes": ["read:exchange"]}
        ]
    });
    let path = apps_file(&seed);
    start_with(|c| {
        c.auto_approve = true;
        c.apps = Some(path.to_path_buf());
    })
    .await
}

/// An access token of `user` through the playground (which has every scope needed here).
async fn token_of(mock: &Mock, user: &str, scope: &str) -> String {
    let (verifier, challenge) = pkce();
    let query = mock
        .auto_code(PLAYGROUND, PLAYGROUND_REDIRECT, scope, &challenge, user)
        .await;
    let reply = mock.redeem_playground(&query["code"], &verifier).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.access_token().to_owned()
}

/// A connected-apps API call with `token`.
async fn call(
    mock: &Mock,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> TokenReply {
    let mut request = mock.http.request(method, mock.url(path)).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    send(request).await
}

fn client_ids(list: &TokenReply) -> Vec<String> {
    list.body["data"]
        .as_array()
        .unwrap_or_else(|| panic!("{}", list.body))
        .iter()
        .map(|app| app["client_id"].as_str().unwrap().to_owned())
        .collect()
}

fn new_app(name: &str) -> Value {
    json!({"client_name": name, "grant_types": ["client_credentials"], "scopes": ["read:exchange"]})
}

#[tokio::test]
async fn an_organization_administrator_manages_their_organizations_apps() {
    let mock = start_with_people().await;
    let ada = token_of(&mock, "ada", "openid full").await;

    let created = call(
        &mock,
        Method::POST,
        APPS,
        &ada,
        Some(new_app("Ada's pipeline")),
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(
        created.body["owner"]["username"], "ada",
        "the creator owns it"
    );
    assert_eq!(created.body["organization_id"], ORG_ID);
    let client_id = created.body["client_id"].as_str().unwrap().to_owned();

    let list = call(&mock, Method::GET, APPS, &ada, None).await;
    assert_eq!(list.status, 200, "{}", list.body);
    let ids = client_ids(&list);
    assert!(
        ids.contains(&client_id) && ids.iter().any(|id| id == CI_CLIENT),
        "{ids:?}"
    );
    assert!(!ids.iter().any(|id| id == "partner-app"), "{ids:?}");

    let path = app_path(&client_id, "");
    let renamed = call(
        &mock,
        Method::PATCH,
        &path,
        &ada,
        Some(json!({"client_name": "Renamed"})),
    )
    .await;
    assert_eq!(renamed.status, 200, "{}", renamed.body);
    let secret = call(
        &mock,
        Method::POST,
        &app_path(&client_id, "/client_secret"),
        &ada,
        None,
    )
    .await;
    assert_eq!(secret.status, 200, "{}", secret.body);
    let deleted = call(&mock, Method::DELETE, &path, &ada, None).await;
    assert_eq!(deleted.status, 204);
}

#[tokio::test]
async fn another_organizations_apps_are_out_of_reach() {
    let mock = start_with_people().await;
    let pat = token_of(&mock, "pat", "full").await;
    let ids = client_ids(&call(&mock, Method::GET, APPS, &pat, None).await);
    assert_eq!(ids, ["partner-app"]);
    for path in [app_path(CI_CLIENT, ""), app_path(CI_CLIENT, "/usage")] {
        let reply = call(&mock, Method::GET, &path, &pat, None).await;
        assert_eq!(reply.status_error(), (404, "not_found"), "{path}");
    }
    let delete = call(&mock, Method::DELETE, &app_path(CI_CLIENT, ""), &pat, None).await;
    assert_eq!(delete.status_error(), (404, "not_found"));
    let mut elsewhere = new_app("In Mule Corp");
    elsewhere["organization_id"] = json!(ORG_ID);
    let create = call(&mock, Method::POST, APPS, &pat, Some(elsewhere)).await;
    assert_eq!(create.status_error(), (403, "forbidden"), "{}", create.body);
    // The static admin token still sees everything.
    let all = client_ids(&mock.admin_get(APPS).await);
    assert!(all.iter().any(|id| id == "partner-app") && all.iter().any(|id| id == CI_CLIENT));
}

#[tokio::test]
async fn a_signed_in_user_without_the_permission_gets_403() {
    let mock = start_with_people().await;
    let nora = token_of(&mock, "nora", "openid full").await;
    for (method, body) in [(Method::GET, None), (Method::POST, Some(new_app("Nora's")))] {
        let reply = call(&mock, method, APPS, &nora, body).await;
        assert_eq!(reply.status_error(), (403, "forbidden"), "{}", reply.body);
        assert!(reply.body["message"].as_str().unwrap().contains("nora"));
    }
}

#[tokio::test]
async fn the_token_needs_full_to_change_and_read_full_to_read() {
    let mock = start_with_people().await;
    let openid = token_of(&mock, "ada", "openid").await;
    let reply = call(&mock, Method::GET, APPS, &openid, None).await;
    assert_eq!(reply.status_error(), (403, "forbidden"));

    let read = token_of(&mock, "ada", "read:full").await;
    assert_eq!(
        call(&mock, Method::GET, APPS, &read, None).await.status,
        200
    );
    let write = call(&mock, Method::POST, APPS, &read, Some(new_app("Read only"))).await;
    assert_eq!(write.status_error(), (403, "forbidden"));
}

#[tokio::test]
async fn other_tokens_get_401_and_the_users_api_keeps_to_the_admin_token() {
    let mock = start_with_people().await;
    for token in ["forged", "", "a.b"] {
        let reply = call(&mock, Method::GET, APPS, token, None).await;
        assert_eq!(reply.status_error(), (401, "unauthorized"), "{token:?}");
    }
    let ada = token_of(&mock, "ada", "full").await;
    let users = call(&mock, Method::GET, "/accounts/api/users", &ada, None).await;
    assert_eq!(users.status_error(), (401, "unauthorized"));
    let faults = call(&mock, Method::GET, FAULTS, &ada, None).await;
    assert_eq!(faults.status_error(), (401, "unauthorized"));
}
