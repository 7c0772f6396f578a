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
    let mut store = state.store();
    let client = client_auth::require(client_auth::authenticate(&store, headers, &params)?)?;
    let token = params.require("token")?;
    let owner = store
        .refresh_tokens
        .get(token)
        .map(|t| (t.grant.client_id.clone(), Some(t.grant.grant_id.clone())))
        .or_else(|| {
            store
                .access_tokens
                .get(token)
                .map(|t| (t.grant.client_id.clone(), None))
        });
    match owner {
        None => Ok(()),
        Some((client_id, _)) if client_id != client.app.client_id => Err(
            OAuthError::unauthorized_client("the token was not issued to this client"),
        ),
        Some((client_id, Some(grant_id))) => {
            tracing::info!(%client_id, "refresh token revoked");
            store.revoke_grant(&grant_id);
            Ok(())
        }
        Some((client_id, None)) => {
            tracing::info!(%client_id, "access token revoked");
            store.access_tokens.remove(token);
            Ok(())
        }
    }
}
