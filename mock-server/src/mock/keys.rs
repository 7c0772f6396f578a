//! `POST /__mock/keys/rotate`: start signing RS256 ID tokens with another key, so that
//! clients' handling of key rotation (a new `kid`, a retired one) can be tested.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::admin::Admin;
use crate::api_error::ApiError;
use crate::state::AppState;

/// Body of `POST /__mock/keys/rotate`, optional.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct Rotate {
    /// Drop the replaced key from the JWK Set at once.
    #[serde(default)]
    retire_previous: bool,
}

/// Rotates the RS256 signing key; answers the new and previous `kid`s and what the JWK
/// Set now lists.
pub(crate) async fn rotate(
    _: Admin,
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    // No body, or an empty one whatever its content type, means the defaults.
    let Rotate { retire_previous } = if body.trim_ascii().is_empty() {
        Rotate::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            ApiError::bad_request(format!(
                "body must be a JSON object like {{\"retire_previous\": true}}: {e}"
            ))
        })?
    };
    let rotation = state.keys.rotate(retire_previous);
    tracing::info!(kid = %rotation.kid, retire_previous, "signing key rotated");
    Ok(Json(json!({
        "kid": rotation.kid,
        "previous_kid": rotation.previous_kid,
        "retired_previous": retire_previous,
        "kids": rotation.published,
    })))
}
