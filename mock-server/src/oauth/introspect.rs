//! `POST /accounts/api/v2/oauth2/introspect`: token introspection
//! ([RFC 7662](https://www.rfc-editor.org/rfc/rfc7662)) for confidential clients.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::oauth::client_auth;
use crate::oauth::error::OAuthError;
use crate::oauth::params::Params;
use crate::state::AppState;

/// Answers whether a token is active, and what it stands for (§2.2).
pub(crate) async fn introspect(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match run(&state, &headers, &body) {
        Ok(answer) => {
            let mut response = Json(answer).into_response();
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(error) => error.into_response(),
    }
}

fn run(state: &AppState, headers: &HeaderMap, body: &[u8]) -> Result<Value, OAuthError> {
    let params = Params::from_body(headers, body)?;
    let now = state.now();
    let store = state.store();
    let client = client_auth::require(client_auth::authenticate(&store, headers, &params)?)?;
    if !client.confidential() {
        return Err(OAuthError::invalid_client(
            "introspection needs a confidential client",
            false,
        ));
    }
    let token = params.require("token")?;
    let found = store
        .access_token(token, now)
        .map(|t| (t.grant, t.issued_at, t.expires_at, "access_token"))
        .or_else(|| {
            store
                .grants
                .refresh_token(token)
                .filter(|t| t.expires_at > now)
                .map(|t| (t.grant.clone(), t.issued_at, t.expires_at, "refresh_token"))
        });
    let Some((grant, issued_at, expires_at, token_type)) = found else {
        return Ok(json!({"active": false}));
    };
    let username = store
        .directory
        .users
        .get(&grant.user_id)
        .map(|u| u.username.clone())
        .unwrap_or_default();
    Ok(json!({
        "active": true,
        "scope": grant.scopes.join(" "),
        "client_id": grant.client_id,
        "username": username,
        "sub": grant.user_id,
        "token_type": token_type,
        "iat": issued_at,
        "exp": expires_at,
        "iss": state.settings.issuer,
        "aud": grant.client_id,
    }))
}
