//! `POST /__mock/clock`: move the mock's clock forward so that tests can see codes, tokens
//! and assertions expire without waiting.

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::admin::Admin;
use crate::api_error::{ApiError, json_body};
use crate::state::AppState;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Advance {
    advance_seconds: i64,
}

/// Advances the clock; answers the new time in seconds since the epoch.
pub(crate) async fn advance(
    _: Admin,
    State(state): State<AppState>,
    body: Result<Json<Advance>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    let Advance { advance_seconds } = json_body(body)?;
    if advance_seconds < 0 {
        return Err(ApiError::bad_request("the clock only moves forward"));
    }
    state.advance_clock(advance_seconds);
    Ok(Json(json!({ "now": state.now() })))
}
