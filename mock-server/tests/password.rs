//! The resource owner password grant.

mod common;

use common::*;
use serde_json::{Value, json};

/// The password grant for max as `app`, with `scope` if given.
async fn as_max(mock: &Mock, app: &Value, password: &str, scope: Option<&str>) -> TokenReply {
    let (id, secret) = credentials(app);
    let mut form = vec![
        ("grant_type", "password"),
        ("username", "max"),
        ("password", password),
    ];
    form.extend(scope.map(|scope| ("scope", scope)));
    mock.token_basic(id, secret, &form).await
}

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
    let ok = as_max(
        &mock,
        &app,
        "mulesoft1",
        Some("openid profile offline_access"),
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert!(ok.body["refresh_token"].is_string());
    assert_eq!(jwt_claims(ok.id_token())["name"], "Max Mule");

    let all = as_max(&mock, &app, "mulesoft1", None).await;
    assert_eq!(
        all.body["scope"],
        "openid profile offline_access read:exchange"
    );

    let wrong = as_max(&mock, &app, "nope", None).await;
    assert_eq!(wrong.status_error(), (400, "invalid_grant"));
    let (id, secret) = credentials(&app);
    let missing = mock
        .token_basic(
            id,
            secret,
            &[("grant_type", "password"), ("username", "max")],
        )
        .await;
    assert_eq!(missing.error(), "invalid_request");
    let scope = as_max(&mock, &app, "mulesoft1", Some("manage:apis")).await;
    assert_eq!(scope.error(), "invalid_scope");
}

#[tokio::test]
async fn internal_apps_refuse_users_of_other_organizations() {
    let apps = apps_file(&json!({
        "organizations": [{"id": "other-org", "name": "Other Corp"}],
        "users": [{"username": "olga", "password": "password1", "organizationId": "other-org"}],
    }));
    let mock = start_with(|c| c.apps = Some(apps.to_path_buf())).await;
    let app = mock
        .confidential_app("Internal", &["password"], &["openid"])
        .await;
    let (id, secret) = credentials(&app);
    let form = [
        ("grant_type", "password"),
        ("username", "olga"),
        ("password", "password1"),
    ];
    let refused = mock.token_basic(id, secret, &form).await;
    assert_eq!(refused.error(), "invalid_grant");
    let public = mock
        .admin_patch(&app_path(id, ""), json!({"audience": "everyone"}))
        .await;
    assert_eq!(public.status, 200);
    let allowed = mock.token_basic(id, secret, &form).await;
    assert_eq!(allowed.status, 200, "{}", allowed.body);
}
