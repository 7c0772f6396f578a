//! `GET /accounts/api/me`: the profile of the user a bearer token acts for.

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use serde_json::{Value, json};

use crate::oauth::bearer::{self, BearerError};
use crate::state::AppState;

/// `{"user": {...}}` in the shape Anypoint's clients read.
pub(crate) async fn me(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Value>, BearerError> {
    let token = bearer::access_token(&state, &headers)?;
    let store = state.store();
    let user = store
        .directory
        .users
        .get(&token.grant.user_id)
        .ok_or(BearerError::InvalidToken)?;
    let organization = user
        .organization_id
        .as_ref()
        .and_then(|id| store.directory.organizations.get(id));
    let members: Vec<Value> = organization
        .iter()
        .map(|o| json!({"id": o.id, "name": o.name}))
        .collect();
    Ok(Json(json!({
        "user": {
            "id": user.id,
            "username": user.username,
            "firstName": user.first_name,
            "lastName": user.last_name,
            "email": user.email,
            "identityType": "host",
            "organizationId": user.organization_id,
            "organization": organization.map(|o| json!({"id": o.id, "name": o.name, "domain": o.domain})),
            "memberOfOrganizations": members,
        }
    })))
}
