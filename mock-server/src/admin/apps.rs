//! `/accounts/api/connectedApplications`: create, read, list, update and delete connected
//! apps, their scopes, client secret, allowlist approval and usage.

use std::collections::BTreeSet;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::admin::AppsCaller;
use crate::api_error::{ApiError, json_body};
use crate::model::ConnectedApp;
use crate::random;
use crate::state::AppState;
use crate::store::{AppInput, Store, validate_secret};

/// The API representation of an app; the secret is shown, as in the UI's edit mode.
pub(crate) fn app_json(store: &Store, app: &ConnectedApp) -> Value {
    let owner = store.directory.users.get(&app.owner_id).map(|u| {
        json!({"id": u.id, "username": u.username, "firstName": u.first_name, "lastName": u.last_name})
    });
    json!({
        "client_id": app.client_id,
        "client_secret": app.client_secret,
        "client_name": app.client_name,
        "grant_types": app.grant_types,
        "scopes": app.scopes,
        "audience": app.audience.as_str(),
        "redirect_uris": app.redirect_uris,
        "public_client": app.public_client,
        "acts_on_behalf_of_user": app.acts_on_behalf_of_user,
        "website_url": app.website_url,
        "public_keys": app.public_keys.iter().map(|k| k.source.clone()).collect::<Vec<_>>(),
        "id_token_signed_response_alg": app.id_token_signed_response_alg.as_str(),
        "owner": owner,
        "organization_id": app.organization_id,
        "enabled": app.enabled,
        "allowlisted": app.approved_scopes.is_some(),
        "approved_scopes": app.approved_scopes,
        "created_at": app.created_at,
    })
}

/// The answer of both scopes calls.
fn scopes_json(app: &ConnectedApp) -> Json<Value> {
    Json(json!({"client_id": app.client_id, "scopes": app.scopes}))
}

/// `POST /accounts/api/connectedApplications`.
pub(crate) async fn create(
    caller: AppsCaller,
    State(state): State<AppState>,
    input: Result<Json<AppInput>, JsonRejection>,
) -> Result<impl IntoResponse, ApiError> {
    let mut input = json_body(input)?;
    if let AppsCaller::OrgAdmin {
        user_id,
        organization_id,
    } = &caller
    {
        if input
            .organization_id
            .as_ref()
            .is_some_and(|id| id != organization_id)
        {
            return Err(ApiError::forbidden(
                "an organization administrator creates apps in their own organization",
            ));
        }
        input.organization_id = Some(organization_id.clone());
        // The creator owns the app, until ownership moves on.
        input.owner.get_or_insert_with(|| user_id.clone());
    }
    let now = state.now();
    let mut store = state.store();
    let app = store.directory.create_app(input, false, now)?;
    tracing::info!(client_id = %app.client_id, "connected app created");
    Ok((StatusCode::CREATED, Json(app_json(&store, &app))))
}

/// `GET /accounts/api/connectedApplications`.
pub(crate) async fn list(caller: AppsCaller, State(state): State<AppState>) -> Json<Value> {
    let store = state.store();
    let mut apps: Vec<&ConnectedApp> = store
        .directory
        .apps
        .values()
        .filter(|app| caller.sees(&app.organization_id))
        .collect();
    apps.sort_by(|a, b| (a.created_at, &a.client_name).cmp(&(b.created_at, &b.client_name)));
    let data: Vec<Value> = apps.iter().map(|a| app_json(&store, a)).collect();
    Json(json!({"total": data.len(), "data": data}))
}

/// `GET /accounts/api/connectedApplications/{clientId}`.
pub(crate) async fn read(
    caller: AppsCaller,
    State(state): State<AppState>,
    Path(client_id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let store = state.store();
    let app = caller.check(store.directory.app(&client_id)?)?;
    Ok(Json(app_json(&store, app)))
}

/// `PATCH` or `PUT /accounts/api/connectedApplications/{clientId}`: the fields given are
/// changed; `owner` transfers ownership to another administrator.
pub(crate) async fn update(
    caller: AppsCaller,
    State(state): State<AppState>,
    Path(client_id): Path<String>,
    input: Result<Json<AppInput>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    let input = json_body(input)?;
    let now = state.now();
    let mut store = state.store();
    let was_enabled = caller.check(store.directory.app(&client_id)?)?.enabled;
    let app = store.directory.update_app(&client_id, input)?;
    if was_enabled && !app.enabled {
        // Disabling ends what the app holds for good; enabling it again does not revive it.
        store.grants.revoke_app(&client_id, now);
        tracing::info!(%client_id, "connected app disabled");
    }
    Ok(Json(app_json(&store, &app)))
}

/// `DELETE /accounts/api/connectedApplications/{clientId}`; its tokens stop working.
pub(crate) async fn delete(
    caller: AppsCaller,
    State(state): State<AppState>,
    Path(client_id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let now = state.now();
    let mut store = state.store();
    caller.check(store.directory.app(&client_id)?)?;
    store.delete_app(&client_id, now);
    tracing::info!(%client_id, "connected app deleted");
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /accounts/api/connectedApplications/{clientId}/scopes`.
pub(crate) async fn scopes(
    caller: AppsCaller,
    State(state): State<AppState>,
    Path(client_id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    Ok(scopes_json(
        caller.check(state.store().directory.app(&client_id)?)?,
    ))
}

/// Body of `PUT .../scopes`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScopesInput {
    scopes: Vec<String>,
}

/// `PUT /accounts/api/connectedApplications/{clientId}/scopes`: replaces the scopes.
pub(crate) async fn set_scopes(
    caller: AppsCaller,
    State(state): State<AppState>,
    Path(client_id): Path<String>,
    input: Result<Json<ScopesInput>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    let input = json_body(input)?;
    let mut store = state.store();
    caller.check(store.directory.app(&client_id)?)?;
    let app = store.directory.update_app(
        &client_id,
        AppInput {
            scopes: Some(input.scopes),
            ..AppInput::default()
        },
    )?;
    Ok(scopes_json(&app))
}

/// Body of `POST .../client_secret`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct SecretInput {
    client_secret: Option<String>,
}

/// `POST /accounts/api/connectedApplications/{clientId}/client_secret`: sets the secret
/// given, or a new random one; the old secret stops working at once.
pub(crate) async fn rotate_secret(
    caller: AppsCaller,
    State(state): State<AppState>,
    Path(client_id): Path<String>,
    input: Option<Json<SecretInput>>,
) -> Result<Json<Value>, ApiError> {
    let input = input.map(|Json(i)| i).unwrap_or_default();
    let mut store = state.store();
    caller.check(store.directory.app(&client_id)?)?;
    let app = store.directory.app_mut(&client_id)?;
    if app.public_client {
        return Err(ApiError::bad_request(
            "a public client has no client_secret",
        ));
    }
    let secret = match input.client_secret {
        Some(secret) => {
            validate_secret(&secret)?;
            secret
        }
        None => random::token(24),
    };
    app.client_secret = Some(secret.clone());
    tracing::info!(%client_id, "client secret changed");
    Ok(Json(
        json!({"client_id": client_id, "client_secret": secret}),
    ))
}

/// `PUT /accounts/api/connectedApplications/{clientId}/allowlist`: an administrator
/// approves the app with its current scopes; scopes added later need a new approval.
pub(crate) async fn allowlist(
    caller: AppsCaller,
    State(state): State<AppState>,
    Path(client_id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let mut store = state.store();
    caller.check(store.directory.app(&client_id)?)?;
    let app = store.directory.app_mut(&client_id)?;
    app.approved_scopes = Some(app.scopes.clone());
    Ok(Json(
        json!({"client_id": client_id, "allowlisted": true, "approved_scopes": app.scopes}),
    ))
}

/// `DELETE /accounts/api/connectedApplications/{clientId}/allowlist`.
pub(crate) async fn remove_from_allowlist(
    caller: AppsCaller,
    State(state): State<AppState>,
    Path(client_id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let mut store = state.store();
    caller.check(store.directory.app(&client_id)?)?;
    store.directory.app_mut(&client_id)?.approved_scopes = None;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /accounts/api/connectedApplications/{clientId}/usage`: how many users authorized
/// the app, and how many organizations those users belong to.
pub(crate) async fn usage(
    caller: AppsCaller,
    State(state): State<AppState>,
    Path(client_id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let store = state.store();
    caller.check(store.directory.app(&client_id)?)?;
    let users = store.grants.authorized_users.get(&client_id);
    let organizations: BTreeSet<&str> = users
        .into_iter()
        .flatten()
        .filter_map(|id| store.directory.users.get(id))
        .filter_map(|u| u.organization_id.as_deref())
        .collect();
    Ok(Json(json!({
        "client_id": client_id,
        "users": users.map_or(0, BTreeSet::len),
        "organizations": organizations.len(),
    })))
}
