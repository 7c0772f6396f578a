//! Cross-origin policies: who may call which endpoint from a browser page.

use std::time::Duration;

use axum::http::{HeaderName, HeaderValue, Method, header};
use tower_http::cors::{AllowOrigin, Any, CorsLayer};

use crate::state::AppState;

/// Public metadata (discovery, JWKS): any origin.
pub(crate) fn public() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET])
        .max_age(Duration::from_secs(600))
}

/// Origins of registered redirect URIs.
fn redirect_origin(state: AppState) -> AllowOrigin {
    AllowOrigin::predicate(move |origin: &HeaderValue, _| {
        origin
            .to_str()
            .is_ok_and(|o| state.store().directory.redirect_origin_allowed(o))
    })
}

/// Token, userinfo, revoke, /accounts/api/me and the example backend: only the origins of
/// registered redirect URIs, so that a sign-in page can exchange its code (and revoke its
/// tokens) itself while other sites cannot.
pub(crate) fn redirect_origins(state: AppState) -> CorsLayer {
    CorsLayer::new()
        .allow_origin(redirect_origin(state))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
        .expose_headers([header::WWW_AUTHENTICATE])
        .max_age(Duration::from_secs(600))
}

/// `/accounts/api/logout/`: the origins of registered redirect URIs, with credentials, so
/// that a page's `fetch(..., {credentials: "include"})` sends the session cookie and may
/// read the answer.
pub(crate) fn sign_out(state: AppState) -> CorsLayer {
    CorsLayer::new()
        .allow_origin(redirect_origin(state))
        .allow_methods([Method::GET])
        .allow_credentials(true)
        .max_age(Duration::from_secs(600))
}

/// Admin API and fault injection: only the `--admin-origin` origins.
pub(crate) fn admin(state: AppState) -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(move |origin: &HeaderValue, _| {
            state
                .settings
                .admin_origins
                .iter()
                .any(|allowed| allowed.as_bytes() == origin.as_bytes())
        }))
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            HeaderName::from_static("x-requested-with"),
        ])
        .max_age(Duration::from_secs(600))
}
