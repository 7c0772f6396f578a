//! `/accounts/api/users` and organization membership: enough of user management to
//! exercise the ownership rule of connected apps. When an app's owner is deleted, leaves
//! the organization or loses administrator rights, the root organization owner inherits
//! the app.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::admin::Admin;
use crate::api_error::{ApiError, json_body};
use crate::model::User;
use crate::state::AppState;
use crate::store::{Store, UserInput};

fn user_json(user: &User) -> Value {
    json!({
        "id": user.id,
        "username": user.username,
        "firstName": user.first_name,
        "lastName": user.last_name,
        "email": user.email,
        "organizationId": user.organization_id,
        "admin": user.admin,
        "createdAt": user.created_at,
    })
}

/// Hands every app `user_id` owns to the root organization owner, and ends the user's
/// browser sessions.
fn orphan_apps(store: &mut Store, user_id: &str) -> Result<(), ApiError> {
    let root_owner = store
        .directory
        .root_owner_id()
        .unwrap_or_default()
        .to_owned();
    if root_owner == user_id {
        return Err(ApiError::bad_request(
            "the root organization owner cannot be removed or demoted: the ownership of orphaned apps falls back to them",
        ));
    }
    for app in store
        .directory
        .apps
        .values_mut()
        .filter(|a| a.owner_id == user_id)
    {
        tracing::info!(client_id = %app.client_id, "app ownership moved to the root organization owner");
        app.owner_id = root_owner.clone();
    }
    store.grants.end_sessions_of(user_id);
    Ok(())
}

/// `GET /accounts/api/users`.
pub(crate) async fn list(_: Admin, State(state): State<AppState>) -> Json<Value> {
    let store = state.store();
    let data: Vec<Value> = store.directory.users.values().map(user_json).collect();
    Json(json!({"total": data.len(), "data": data}))
}

/// `POST /accounts/api/users`.
pub(crate) async fn create(
    _: Admin,
    State(state): State<AppState>,
    input: Result<Json<UserInput>, JsonRejection>,
) -> Result<impl IntoResponse, ApiError> {
    let input = json_body(input)?;
    let now = state.now();
    let user = state.store().directory.create_user(input, now)?;
    Ok((StatusCode::CREATED, Json(user_json(&user))))
}

/// `GET /accounts/api/users/{userId}`.
pub(crate) async fn read(
    _: Admin,
    State(state): State<AppState>,
    Path(user_id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(user_json(state.store().directory.user(&user_id)?)))
}

/// Body of `PATCH /accounts/api/users/{userId}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct UserUpdate {
    admin: Option<bool>,
    first_name: Option<String>,
    last_name: Option<String>,
    email: Option<String>,
    password: Option<String>,
}

/// `PATCH /accounts/api/users/{userId}`; `{"admin": false}` revokes administrator rights.
pub(crate) async fn update(
    _: Admin,
    State(state): State<AppState>,
    Path(user_id): Path<String>,
    input: Result<Json<UserUpdate>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    let input = json_body(input)?;
    let mut store = state.store();
    store.directory.user(&user_id)?;
    if input.admin == Some(false) {
        orphan_apps(&mut store, &user_id)?;
    }
    let user = store
        .directory
        .users
        .get_mut(&user_id)
        .expect("checked above");
    if let Some(admin) = input.admin {
        user.admin = admin;
    }
    if let Some(first) = input.first_name {
        user.first_name = first;
    }
    if let Some(last) = input.last_name {
        user.last_name = last;
    }
    if let Some(email) = input.email {
        user.email = email;
    }
    if let Some(password) = input.password.filter(|p| !p.is_empty()) {
        user.password = password;
    }
    Ok(Json(user_json(user)))
}

/// `DELETE /accounts/api/users/{userId}`: the user's tokens stop working.
pub(crate) async fn delete(
    _: Admin,
    State(state): State<AppState>,
    Path(user_id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let now = state.now();
    let mut store = state.store();
    store.directory.user(&user_id)?;
    orphan_apps(&mut store, &user_id)?;
    store.directory.users.remove(&user_id);
    store.grants.revoke_user(&user_id, now);
    Ok(StatusCode::NO_CONTENT)
}

/// `DELETE /accounts/api/organizations/{orgId}/users/{userId}`: removes the user from the
/// organization (and from its administrators).
pub(crate) async fn remove_member(
    _: Admin,
    State(state): State<AppState>,
    Path((org_id, user_id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let mut store = state.store();
    let member = store
        .directory
        .users
        .get(&user_id)
        .is_some_and(|u| u.organization_id.as_deref() == Some(org_id.as_str()));
    if !member {
        return Err(ApiError::not_found(format!(
            "user {user_id} is not a member of organization {org_id}"
        )));
    }
    orphan_apps(&mut store, &user_id)?;
    let user = store
        .directory
        .users
        .get_mut(&user_id)
        .expect("checked above");
    user.organization_id = None;
    user.admin = false;
    Ok(StatusCode::NO_CONTENT)
}
