//! `GET /accounts/api/logout/`: ends the mock's login session.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;

use crate::html;
use crate::state::AppState;

/// Forgets the session and clears its cookie; tokens already issued stay valid, as on
/// Anypoint where access tokens outlive the browser session only until they expire.
pub(crate) async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(id) = html::session_cookie(&headers) {
        state.store().grants.sessions.remove(&id);
    }
    let mut response = html::page(
        StatusCode::OK,
        "Signed out",
        "<h1>Signed out</h1><p class=\"mock\">Anypoint Platform mock server</p>\
<p id=\"signed-out\">You are signed out of Anypoint Platform.</p>",
    );
    response
        .headers_mut()
        .insert(header::SET_COOKIE, html::clear_session_cookie());
    response
}
