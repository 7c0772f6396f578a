//! `GET|POST /accounts/api/v2/oauth2/userinfo`
//! ([OpenID Connect Core §5.3](https://openid.net/specs/openid-connect-core-1_0.html#UserInfo)).

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use serde_json::Value;

use crate::oauth::bearer::{self, BearerError};
use crate::oauth::id_token::user_claims;
use crate::state::AppState;

/// The signed-in user's claims, as far as the token's scopes allow.
pub(crate) async fn userinfo(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Value>, BearerError> {
    let token = bearer::access_token(&state, &headers)?;
    let scopes = &token.grant.scopes;
    if !scopes.iter().any(|s| s == "openid" || s == "profile") {
        return Err(BearerError::InsufficientScope("openid"));
    }
    let user = state
        .store()
        .directory
        .users
        .get(&token.grant.user_id)
        .cloned()
        .ok_or(BearerError::InvalidToken)?;
    Ok(Json(Value::Object(user_claims(&user, scopes))))
}
