//! The HTTP edges every route shares: limits on the request URI and body, the request
//! timeout, and JSON for the errors that the HTTP stack answers by itself (unknown path,
//! wrong method, oversized or late body, a panic), so that a client never gets an empty or
//! plain-text error: OAuth endpoints answer RFC 6749 §5.2 JSON, the admin API its own.

use std::any::Any;
use std::time::Duration;

use axum::Json;
use axum::body::{Body, to_bytes};
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// The longest request URI (path and query) answered, bytes; longer ones get 414. Eight
/// KiB is what common servers allow, and far more than any authorization request needs.
pub(crate) const MAX_URI_BYTES: usize = 8 * 1024;
/// The largest request body read, bytes; larger ones get 413. A connected app with its
/// 1000 scopes and a few keys fits many times over.
pub(crate) const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The body limit of every route.
pub(crate) fn body_limit() -> DefaultBodyLimit {
    DefaultBodyLimit::max(MAX_BODY_BYTES)
}

/// The request timeout: a request not answered within `timeout` (its body never sent, say)
/// gets 408, and its connection is closed.
pub(crate) fn timeout(timeout: Duration) -> tower_http::timeout::TimeoutLayer {
    tower_http::timeout::TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, timeout)
}

/// Whether `path` belongs to the admin API or the test controls, whose errors are
/// `{"error", "message"}`; every other path answers OAuth's `{"error", "error_description"}`.
fn is_admin_path(path: &str) -> bool {
    [
        "/accounts/api/connectedApplications",
        "/accounts/api/users",
        "/accounts/api/organizations",
        "/__mock/",
    ]
    .iter()
    .any(|prefix| path.starts_with(prefix))
}

/// What an error status means, for a response that did not say.
fn default_description(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => "there is no endpoint at this path",
        StatusCode::METHOD_NOT_ALLOWED => "this endpoint does not take this method (see Allow)",
        StatusCode::REQUEST_TIMEOUT => "the request was not received in time",
        StatusCode::PAYLOAD_TOO_LARGE => "the request body is too large",
        StatusCode::URI_TOO_LONG => "the request URI is too long",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "the request body has an unsupported content type",
        _ if status.is_server_error() => "the mock server failed to answer this request",
        _ => "the request is malformed",
    }
}

/// The admin API's error code for a status the HTTP stack chose.
fn admin_code(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::REQUEST_TIMEOUT => "request_timeout",
        StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
        StatusCode::URI_TOO_LONG => "uri_too_long",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        _ if status.is_server_error() => "server_error",
        _ => "bad_request",
    }
}

/// The OAuth error code (RFC 6749 §5.2, §4.1.2.1) for a status the HTTP stack chose.
fn oauth_code(status: StatusCode) -> &'static str {
    match status {
        StatusCode::SERVICE_UNAVAILABLE => "temporarily_unavailable",
        _ if status.is_server_error() => "server_error",
        _ => "invalid_request",
    }
}

/// Whether a handler wrote this response's body as JSON or a page: those are left alone.
fn is_written(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json") || v.starts_with("text/html"))
}

/// A JSON error for `status`: OAuth's shape, or the admin API's on its paths.
fn json_error(admin: bool, status: StatusCode, text: &str) -> serde_json::Value {
    if admin {
        json!({"error": admin_code(status), "message": text})
    } else {
        json!({"error": oauth_code(status), "error_description": text})
    }
}

/// The edge every request passes: refuses request URIs longer than [`MAX_URI_BYTES`]
/// with 414, and turns error responses without a JSON or HTML body (axum's rejections and
/// fallbacks, the timeout) into JSON errors, keeping their status and headers such as
/// `Allow`.
pub(crate) async fn guard(request: Request, next: Next) -> Response {
    let admin = is_admin_path(request.uri().path());
    let length = request
        .uri()
        .path_and_query()
        .map_or(0, |p| p.as_str().len());
    if length > MAX_URI_BYTES {
        let status = StatusCode::URI_TOO_LONG;
        let text = format!("the request URI is {length} bytes long; the limit is {MAX_URI_BYTES}");
        return (
            status,
            [(header::CACHE_CONTROL, "no-store")],
            Json(json_error(admin, status, &text)),
        )
            .into_response();
    }
    let response = next.run(request).await;
    let status = response.status();
    if status.as_u16() < 400 || is_written(&response) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // The plain texts are short; more than this is not a plain text worth quoting.
    let text = to_bytes(body, 4096)
        .await
        .ok()
        .and_then(|b| String::from_utf8(b.to_vec()).ok())
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| default_description(status).to_owned());
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    parts
        .headers
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Response::from_parts(
        parts,
        Body::from(json_error(admin, status, &text).to_string()),
    )
}

/// The answer when a handler panicked: a 500 with an OAuth `server_error`, the panic
/// logged. The panic's message is not sent: it could quote request data.
pub(crate) fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(message, "a handler panicked");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CACHE_CONTROL, "no-store")],
        Json(json!({
            "error": "server_error",
            "error_description": "the mock server failed to answer this request",
        })),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body_json(response: Response) -> serde_json::Value {
        let bytes = to_bytes(response.into_body(), 4096).await.expect("a body");
        serde_json::from_slice(&bytes).expect("JSON")
    }

    #[tokio::test]
    async fn a_panic_becomes_a_server_error_without_its_message() {
        let response = panic_response(Box::new("secret request data".to_owned()));
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = body_json(response).await;
        assert_eq!(body["error"], "server_error");
        assert!(!body.to_string().contains("secret"), "{body}");
    }

    #[test]
    fn errors_take_the_shape_of_their_api() {
        let status = StatusCode::PAYLOAD_TOO_LARGE;
        assert_eq!(
            json_error(false, status, "too big"),
            json!({"error": "invalid_request", "error_description": "too big"})
        );
        assert_eq!(
            json_error(true, status, "too big"),
            json!({"error": "payload_too_large", "message": "too big"})
        );
        assert_eq!(
            json_error(false, StatusCode::SERVICE_UNAVAILABLE, "x")["error"],
            "temporarily_unavailable"
        );
        assert!(is_admin_path("/__mock/faults"));
        assert!(is_admin_path("/accounts/api/connectedApplications/abc"));
        assert!(!is_admin_path("/accounts/api/me"));
        assert!(!is_admin_path("/accounts/api/v2/oauth2/token"));
    }
}
