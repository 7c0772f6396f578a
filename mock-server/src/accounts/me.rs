//! `GET /accounts/api/me`: the profile of the user a bearer token acts for.

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use serde_json::{Map, Value, json};

use crate::oauth::bearer::{self, BearerError};
use crate::state::AppState;

/// `{"user": {...}}` in the shape Anypoint's clients read, bounded by the token's scopes as
/// `/userinfo` is: every token tells the user's `id` and `username` (what `openid` covers);
/// `profile` adds the name, identity type and organizations, `email` the email; `full` and
/// `read:full` release all of it.
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
    let has = |scope: &str| {
        token
            .grant
            .scopes
            .iter()
            .any(|s| s == scope || s == "full" || s == "read:full")
    };
    let mut profile = Map::new();
    profile.insert("id".to_owned(), json!(user.id));
    profile.insert("username".to_owned(), json!(user.username));
    if has("profile") {
        let organization = user
            .organization_id
            .as_ref()
            .and_then(|id| store.directory.organizations.get(id));
        let members: Vec<Value> = organization
            .iter()
            .map(|o| json!({"id": o.id, "name": o.name}))
            .collect();
        profile.insert("firstName".to_owned(), json!(user.first_name));
        profile.insert("lastName".to_owned(), json!(user.last_name));
        profile.insert("identityType".to_owned(), json!("host"));
        profile.insert("organizationId".to_owned(), json!(user.organization_id));
        profile.insert(
            "organization".to_owned(),
            json!(organization.map(|o| json!({"id": o.id, "name": o.name, "domain": o.domain}))),
        );
        profile.insert("memberOfOrganizations".to_owned(), json!(members));
    }
    if has("email") {
        profile.insert("email".to_owned(), json!(user.email));
    }
    Ok(Json(json!({ "user": profile })))
}
