//! Bearer tokens on protected resources ([RFC 6750](https://www.rfc-editor.org/rfc/rfc6750)).

use axum::Json;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::state::AppState;
use crate::store::AccessToken;

/// Why a protected resource refused a request (RFC 6750 §3.1).
#[derive(Debug)]
pub(crate) enum BearerError {
    /// No token at all: a bare challenge.
    Missing,
    InvalidToken,
    InsufficientScope(&'static str),
}

impl IntoResponse for BearerError {
    fn into_response(self) -> Response {
        let (status, challenge, body) = match self {
            BearerError::Missing => (
                StatusCode::UNAUTHORIZED,
                "Bearer realm=\"anypoint-mock\"".to_owned(),
                json!({"error": "invalid_request", "error_description": "a bearer access token is required"}),
            ),
            BearerError::InvalidToken => (
                StatusCode::UNAUTHORIZED,
                "Bearer realm=\"anypoint-mock\", error=\"invalid_token\", error_description=\"the access token is unknown, expired or revoked\"".to_owned(),
                json!({"error": "invalid_token", "error_description": "the access token is unknown, expired or revoked"}),
            ),
            BearerError::InsufficientScope(scope) => (
                StatusCode::FORBIDDEN,
                format!("Bearer realm=\"anypoint-mock\", error=\"insufficient_scope\", scope=\"{scope}\""),
                json!({"error": "insufficient_scope", "error_description": format!("the access token lacks the {scope} scope")}),
            ),
        };
        let mut response = (status, Json(body)).into_response();
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_str(&challenge).expect("challenge text is ASCII"),
        );
        response
    }
}

/// The access token a request presents in its `Authorization: Bearer` header (§2.1).
pub(crate) fn access_token(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<AccessToken, BearerError> {
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or(BearerError::Missing)?;
    let token = value
        .split_once(' ')
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
        .ok_or(BearerError::InvalidToken)?;
    let now = state.now();
    state
        .store()
        .access_token(token, now)
        .ok_or(BearerError::InvalidToken)
}
