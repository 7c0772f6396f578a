//! The admin side of Anypoint's Access Management API: connected apps ("Create a Connected
//! App") and just enough of users to exercise ownership rules. Every call needs the admin
//! bearer token.

pub(crate) mod apps;
pub(crate) mod users;

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;

use crate::api_error::ApiError;
use crate::crypto::constant_time_eq;
use crate::state::AppState;

/// Proof that a request carries the admin bearer token.
pub(crate) struct Admin;

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let presented = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim());
        match presented {
            Some(token)
                if constant_time_eq(token.as_bytes(), state.settings.admin_token.as_bytes()) =>
            {
                Ok(Admin)
            }
            _ => Err(ApiError::unauthorized()),
        }
    }
}
