//! Usage figures: how many users authorized an app and how many organizations use it.

mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn usage_counts_distinct_users_and_organizations() {
    let apps = apps_file(&json!({
        "organizations": [{"id": "partner-org", "name": "Partner Inc"}],
        "users": [
            {"username": "ann", "password": "password1"},
            {"username": "pia", "password": "password1", "organizationId": "partner-org"},
        ],
    }));
    let mock = start_with(|c| {
        c.auto_approve = true;
        c.apps = Some(apps.to_path_buf());
    })
    .await;
    let app = mock
        .create_app(json!({
            "client_name": "Third-party",
            "grant_types": ["authorization_code"],
            "scopes": ["openid"],
            "redirect_uris": ["https://third.example.test/cb"],
            "audience": "everyone",
        }))
        .await;
    let id = app["client_id"].as_str().unwrap();
    let usage_path = app_path(id, "/usage");
    let empty = mock.admin_get(&usage_path).await.body;
    assert_eq!(
        (empty["users"].as_u64(), empty["organizations"].as_u64()),
        (Some(0), Some(0))
    );
    for user in ["max", "ann", "pia", "max"] {
        let response = mock
            .authorize(&[
                ("client_id", id),
                ("redirect_uri", "https://third.example.test/cb"),
                ("response_type", "code"),
                ("scope", "openid"),
                ("login_hint", user),
            ])
            .await;
        assert!(
            location_query(response.headers()).contains_key("code"),
            "{user}"
        );
    }
    let figures = mock.admin_get(&usage_path).await.body;
    assert_eq!(figures["users"], 3);
    assert_eq!(figures["organizations"], 2);
}
