//! Usage figures: how many users authorized an app and how many organizations use it.

mod common;

use common::*;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn usage_counts_distinct_users_and_organizations() {
    let mock = start_with(|c| {
        c.auto_approve = true;
        let path = std::env::temp_dir().join(format!("mock-usage-{}.json", uuid::Uuid::new_v4()));
        std::fs::write(
            &path,
            json!({
                "organizations": [{"id": "partner-org", "name": "Partner Inc"}],
                "users": [
                    {"username": "ann", "password": "password1"},
                    {"username": "pia", "password": "password1", "organizationId": "partner-org"},
                ],
            })
            .to_string(),
        )
        .unwrap();
        c.apps = Some(path);
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
    let usage_path = format!("/accounts/api/connectedApplications/{id}/usage");
    let empty = mock.admin(Method::GET, &usage_path, None).await.body;
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
    let figures = mock.admin(Method::GET, &usage_path, None).await.body;
    assert_eq!(figures["users"], 3);
    assert_eq!(figures["organizations"], 2);
}
