//! The resource owner password grant.

mod common;

use common::*;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn password_grant_signs_in_a_known_user() {
    let mock = start().await;
    let app = mock
        .confidential_app(
            "Scripts",
            &["password", "refresh_token"],
            &["openid", "profile", "offline_access", "read:exchange"],
        )
        .await;
    let (id, secret) = (
        app["client_id"].as_str().unwrap(),
        app["client_secret"].as_str().unwrap(),
    );
    let ok = mock
        .token_basic(
            id,
            secret,
            &[
                ("grant_type", "password"),
                ("username", "max"),
                ("password", "mulesoft1"),
                ("scope", "openid profile offline_access"),
            ],
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert!(ok.body["refresh_token"].is_string());
    assert_eq!(
        jwt_claims(ok.body["id_token"].as_str().unwrap())["name"],
        "Max Mule"
    );

    let all = mock
        .token_basic(
            id,
            secret,
            &[
                ("grant_type", "password"),
                ("username", "max"),
                ("password", "mulesoft1"),
            ],
        )
        .await;
    assert_eq!(
        all.body["scope"],
        "openid profile offline_access read:exchange"
    );

    let wrong = mock
        .token_basic(
            id,
            secret,
            &[
                ("grant_type", "password"),
                ("username", "max"),
                ("password", "nope"),
            ],
        )
        .await;
    assert_eq!(
        (wrong.status.as_u16(), wrong.error()),
        (400, "invalid_grant")
    );
    let missing = mock
        .token_basic(
            id,
            secret,
            &[("grant_type", "password"), ("username", "max")],
        )
        .await;
    assert_eq!(missing.error(), "invalid_request");
    let scope = mock
        .token_basic(
            id,
            secret,
            &[
                ("grant_type", "password"),
                ("username", "max"),
                ("password", "mulesoft1"),
                ("scope", "manage:apis"),
            ],
        )
        .await;
    assert_eq!(scope.error(), "invalid_scope");
}

#[tokio::test]
async fn internal_apps_refuse_users_of_other_organizations() {
    let mock = start_with(|c| {
        let path = std::env::temp_dir().join(format!("mock-apps-{}.json", uuid::Uuid::new_v4()));
        std::fs::write(
            &path,
            json!({
                "organizations": [{"id": "other-org", "name": "Other Corp"}],
                "users": [{"username": "olga", "password": "password1", "organizationId": "other-org"}],
            })
            .to_string(),
        )
        .unwrap();
        c.apps = Some(path);
    })
    .await;
    let app = mock
        .confidential_app("Internal", &["password"], &["openid"])
        .await;
    let form = [
        ("grant_type", "password"),
        ("username", "olga"),
        ("password", "password1"),
    ];
    let refused = mock
        .token_basic(
            app["client_id"].as_str().unwrap(),
            app["client_secret"].as_str().unwrap(),
            &form,
        )
        .await;
    assert_eq!(refused.error(), "invalid_grant");
    let public = mock
        .admin(
            Method::PATCH,
            &format!(
                "/accounts/api/connectedApplications/{}",
                app["client_id"].as_str().unwrap()
            ),
            Some(json!({"audience": "everyone"})),
        )
        .await;
    assert_eq!(public.status, 200);
    let allowed = mock
        .token_basic(
            app["client_id"].as_str().unwrap(),
            app["client_secret"].as_str().unwrap(),
            &form,
        )
        .await;
    assert_eq!(allowed.status, 200, "{}", allowed.body);
}
