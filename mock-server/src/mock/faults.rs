//! Fault injection: make the next N responses of one endpoint fail in a chosen way, so that
//! clients' error handling can be tested. `POST /__mock/faults`, `GET` and `DELETE` it; the
//! plan itself is [`crate::faults`].

use std::future::Future;
use std::time::Duration;

use axum::Json;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::admin::Admin;
use crate::api_error::{ApiError, json_body};
use crate::faults::{Endpoint, FaultSpec, Injected, Kind};
use crate::state::AppState;

/// Runs `respond` as the next response of `endpoint`, spoiled by the next fault planned for
/// it: a delay, a 500, a body that is not JSON; other kinds go to `respond` to apply.
pub(crate) async fn around<F, Fut>(state: &AppState, endpoint: Endpoint, respond: F) -> Response
where
    F: FnOnce(Option<Kind>) -> Fut,
    Fut: Future<Output = Response>,
{
    let Some(fault) = state.faults().take(endpoint) else {
        return respond(None).await;
    };
    tracing::info!(?endpoint, kind = ?fault.kind, "injecting fault");
    match fault.kind {
        Kind::Delay => {
            tokio::time::sleep(Duration::from_millis(fault.delay_ms)).await;
            respond(None).await
        }
        Kind::ServerError if endpoint != Endpoint::Authorize => (
            StatusCode::INTERNAL_SERVER_ERROR,
            [(header::CACHE_CONTROL, "no-store")],
            Json(json!({
                "error": "server_error",
                "error_description": "fault injected by the mock server",
            })),
        )
            .into_response(),
        Kind::InvalidJson => {
            let response = respond(None).await;
            let (mut parts, _) = response.into_parts();
            parts.headers.remove(header::CONTENT_LENGTH);
            parts.headers.insert(
                header::CONTENT_TYPE,
                header::HeaderValue::from_static("application/json"),
            );
            Response::from_parts(parts, Body::from("{\"truncated\": [1, 2,"))
        }
        kind => respond(Some(kind)).await,
    }
}

/// Middleware for one endpoint's routes; preflight requests never spend a fault. A fault
/// the handler applies itself reaches it as an [`Injected`] extension.
pub(crate) async fn inject(
    State((state, endpoint)): State<(AppState, Endpoint)>,
    mut request: Request,
    next: Next,
) -> Response {
    if request.method() == Method::OPTIONS {
        return next.run(request).await;
    }
    around(&state, endpoint, |kind| {
        if let Some(kind) = kind {
            request.extensions_mut().insert(Injected(kind));
        }
        next.run(request)
    })
    .await
}

/// `POST /__mock/faults`: plan a fault.
pub(crate) async fn create(
    _: Admin,
    State(state): State<AppState>,
    body: Result<Json<FaultSpec>, axum::extract::rejection::JsonRejection>,
) -> Result<impl IntoResponse, ApiError> {
    let spec = json_body(body)?;
    if spec.count == 0 {
        return Err(ApiError::bad_request("count must be at least 1"));
    }
    if !spec.kind.applies_to(spec.endpoint) {
        return Err(ApiError::bad_request(format!(
            "fault {:?} does not apply to endpoint {:?}",
            spec.kind, spec.endpoint
        )));
    }
    state.faults().plan(spec.clone());
    Ok((StatusCode::CREATED, Json(spec)))
}

/// `GET /__mock/faults`: the faults not yet spent.
pub(crate) async fn list(_: Admin, State(state): State<AppState>) -> Json<serde_json::Value> {
    Json(json!({ "faults": state.faults().planned() }))
}

/// `DELETE /__mock/faults`: cancel every planned fault.
pub(crate) async fn clear(_: Admin, State(state): State<AppState>) -> StatusCode {
    state.faults().clear();
    StatusCode::NO_CONTENT
}
