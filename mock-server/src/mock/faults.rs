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
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value, json};

use crate::admin::Admin;
use crate::api_error::{ApiError, json_body};
use crate::crypto::keys::SigningAlg;
use crate::faults::{Endpoint, FaultSpec, Injected, Kind};
use crate::state::AppState;

/// Runs `respond` as the next response of `endpoint`, spoiled by the next fault planned for
/// it: a delay, a 500, a body that is not JSON or replaced, an ID token with other claims;
/// other kinds go to `respond` to apply.
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
        Kind::InvalidJson => with_body(respond(None).await, b"{\"truncated\": [1, 2,".to_vec()),
        Kind::Replace => with_body(
            respond(None).await,
            fault.body.unwrap_or_default().into_bytes(),
        ),
        Kind::Claims => {
            let (parts, body) = respond(None).await.into_parts();
            let body = axum::body::to_bytes(body, usize::MAX)
                .await
                .unwrap_or_default();
            let claims = fault.claims.unwrap_or_default();
            let patched = resign(state, &body, claims).unwrap_or_else(|| body.to_vec());
            with_body(Response::from_parts(parts, Body::empty()), patched)
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

/// `response`'s status and headers with `body` as JSON.
fn with_body(response: Response, body: Vec<u8>) -> Response {
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    Response::from_parts(parts, Body::from(body))
}

/// The token response `body` with `claims` merged into its ID token, signed again with the
/// current key of the token's algorithm; `None` when it has no readable ID token.
fn resign(state: &AppState, body: &[u8], claims: Map<String, Value>) -> Option<Vec<u8>> {
    let mut response: Value = serde_json::from_slice(body).ok()?;
    let token = response.get("id_token")?.as_str()?;
    let mut parts = token.split('.');
    let header: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts.next()?).ok()?).ok()?;
    let mut payload: Map<String, Value> =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts.next()?).ok()?).ok()?;
    for (name, value) in claims {
        if value.is_null() {
            payload.remove(&name);
        } else {
            payload.insert(name, value);
        }
    }
    let alg = SigningAlg::ALL
        .into_iter()
        .find(|a| header["alg"] == a.as_str())?;
    response["id_token"] = json!(state.keys.sign(alg, &Value::Object(payload)));
    serde_json::to_vec(&response).ok()
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
    let missing = match spec.kind {
        Kind::Replace => spec
            .body
            .is_none()
            .then_some("a replace fault needs a body"),
        Kind::Claims => spec
            .claims
            .is_none()
            .then_some("a claims fault needs claims"),
        _ => None,
    };
    if let Some(why) = missing {
        return Err(ApiError::bad_request(why));
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
