//! `GET /__mock/stats`: how much protocol state the mock holds, so that tests and load
//! runs can see expired codes and tokens go.

use axum::Json;
use axum::extract::State;

use crate::admin::Admin;
use crate::state::AppState;
use crate::store::grants::Counts;

/// The number of live sessions, pending requests, codes, refresh tokens and remembered
/// revocations, and how many access tokens were issued since start-up.
pub(crate) async fn stats(_: Admin, State(state): State<AppState>) -> Json<Counts> {
    Json(state.store().grants.counts())
}
