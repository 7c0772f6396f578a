//! Fault injection: make the next N responses of one endpoint fail in a chosen way, so that
//! clients' error handling can be tested. `POST /__mock/faults`, `GET` and `DELETE` it.

use std::time::Duration;

use axum::Json;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::admin::Admin;
use crate::api_error::{ApiError, json_body};
use crate::state::AppState;

/// An endpoint faults can be planned for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Endpoint {
    Token,
    Discovery,
    Jwks,
    Userinfo,
    Me,
    Authorize,
    Revoke,
    Introspect,
    /// `POST /example-backend/exchange`.
    Backend,
}

/// How a response fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Kind {
    /// HTTP 500 with an OAuth `server_error` body; at /authorize a redirect with
    /// `error=server_error` (RFC 6749 §4.1.2.1).
    ServerError,
    /// The normal response, `delay_ms` late.
    Delay,
    /// The normal status and headers with a body that is not JSON.
    InvalidJson,
    /// ID token whose signature does not verify.
    BadSignature,
    /// ID token whose `nonce` is not the one of the request.
    WrongNonce,
    /// ID token whose `aud` is not the client.
    WrongAudience,
    /// ID token whose `exp` is in the past.
    Expired,
    /// ID token signed with a key whose `kid` the JWK Set does not list.
    UnknownKid,
    /// A token response whose `expires_in` is [`SHORT_LIVED_SECS`], so a client's renewal
    /// can be tested without waiting an hour (the server still honours the token as usual).
    ShortLived,
}

/// The `expires_in` of a [`Kind::ShortLived`] token response, in seconds.
pub(crate) const SHORT_LIVED_SECS: u64 = 5;

impl Kind {
    fn applies_to(self, endpoint: Endpoint) -> bool {
        match self {
            Kind::ServerError | Kind::Delay => true,
            Kind::InvalidJson => !matches!(endpoint, Endpoint::Authorize),
            Kind::BadSignature
            | Kind::WrongNonce
            | Kind::WrongAudience
            | Kind::Expired
            | Kind::UnknownKid
            | Kind::ShortLived => endpoint == Endpoint::Token,
        }
    }
}

/// A fault handed to a handler that must apply it itself (ID token faults, /authorize errors).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Injected(pub Kind);

/// One planned fault.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FaultSpec {
    endpoint: Endpoint,
    kind: Kind,
    #[serde(default = "one")]
    count: u32,
    #[serde(default = "default_delay")]
    delay_ms: u64,
}

fn one() -> u32 {
    1
}

fn default_delay() -> u64 {
    1000
}

/// Faults planned and not yet spent, first planned first applied.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    plan: Vec<FaultSpec>,
}

impl Faults {
    fn take(&mut self, endpoint: Endpoint) -> Option<FaultSpec> {
        let index = self.plan.iter().position(|f| f.endpoint == endpoint)?;
        let fault = &mut self.plan[index];
        fault.count -= 1;
        let taken = fault.clone();
        if fault.count == 0 {
            self.plan.remove(index);
        }
        Some(taken)
    }
}

/// Middleware for one endpoint's routes; preflight requests never spend a fault.
pub(crate) async fn inject(
    State((state, endpoint)): State<(AppState, Endpoint)>,
    mut request: Request,
    next: Next,
) -> Response {
    if request.method() == Method::OPTIONS {
        return next.run(request).await;
    }
    let Some(fault) = state.faults().take(endpoint) else {
        return next.run(request).await;
    };
    tracing::info!(?endpoint, kind = ?fault.kind, "injecting fault");
    match fault.kind {
        Kind::Delay => {
            tokio::time::sleep(Duration::from_millis(fault.delay_ms)).await;
            next.run(request).await
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
            let response = next.run(request).await;
            let (mut parts, _) = response.into_parts();
            parts.headers.remove(header::CONTENT_LENGTH);
            parts.headers.insert(
                header::CONTENT_TYPE,
                header::HeaderValue::from_static("application/json"),
            );
            Response::from_parts(parts, Body::from("{\"truncated\": [1, 2,"))
        }
        kind => {
            request.extensions_mut().insert(Injected(kind));
            next.run(request).await
        }
    }
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
    state.faults().plan.push(spec.clone());
    Ok((StatusCode::CREATED, Json(spec)))
}

/// `GET /__mock/faults`: the faults not yet spent.
pub(crate) async fn list(_: Admin, State(state): State<AppState>) -> Json<serde_json::Value> {
    Json(json!({ "faults": state.faults().plan }))
}

/// `DELETE /__mock/faults`: cancel every planned fault.
pub(crate) async fn clear(_: Admin, State(state): State<AppState>) -> StatusCode {
    state.faults().plan.clear();
    StatusCode::NO_CONTENT
}
