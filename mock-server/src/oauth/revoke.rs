//! `POST /accounts/api/v2/oauth2/revoke`: token revocation
//! ([RFC 7009](https://www.rfc-editor.org/rfc/rfc7009)).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::oauth::client_auth;
use crate::oauth::error::OAuthError;
use crate::oauth::params::Params;
use crate::state::AppState;

/// Revokes an access or refresh token of the calling client. Revoking a refresh token
/// also revokes the access tokens of its grant (§2.1). Unknown tokens answer 200 (§2.2).
pub(crate) async fn revoke(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match run(&state, &headers, &body) {
        Ok(()) => StatusCode::OK.into_response(),
        Err(error) => error.into_response(),
    }
}

fn run(state: &AppState, headers: &HeaderMap, body: &[u8]) -> Result<(), OAuthError> {
    let params = Params::from_body(headers, body)?;
    let now = state.now();
    let mut store = state.store();
    let client = client_auth::require(client_auth::authenticate(&store, headers, &params)?)?;
    let token = params.require("token")?;
    let not_theirs = || OAuthError::unauthorized_client("the token was not issued to this client");
    if let Some(refresh) = store.grants.refresh_token(token) {
        if refresh.grant.client_id != client.app.client_id {
            return Err(not_theirs());
        }
        let grant_id = refresh.grant.grant_id;
        tracing::info!(client_id = %client.app.client_id, "refresh token revoked");
        store.grants.revoke_grant(grant_id, now);
    } else if let Some(access) = store.grants.open_access_token(token, now) {
        if access.grant.client_id != client.app.client_id {
            return Err(not_theirs());
        }
        tracing::info!(client_id = %client.app.client_id, "access token revoked");
        store.grants.revoke_access_token(&access);
    }
    Ok(())
}
