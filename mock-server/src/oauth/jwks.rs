//! `GET /accounts/api/v2/oauth2/jwks`: the keys that verify ID tokens
//! ([RFC 7517 §5](https://www.rfc-editor.org/rfc/rfc7517#section-5)).

use axum::Json;
use axum::extract::State;
use serde_json::Value;

use crate::state::AppState;

/// The JWK Set: the RS256 key that signs now, the one it replaced unless retired, and the
/// ES256 key.
pub(crate) async fn jwks(State(state): State<AppState>) -> Json<Value> {
    Json(state.keys.jwks())
}
