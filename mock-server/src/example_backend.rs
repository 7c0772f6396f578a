//! `POST /example-backend/exchange`: what a web app's own backend does in the "backend
//! exchange" mode. The browser sends it the authorization code, the PKCE verifier and the
//! redirect URI; the backend redeems the code at the token endpoint as a confidential
//! client (HTTP Basic with its client secret, which never reaches the browser) and hands
//! the token endpoint's answer back.
//!
//! Not part of Anypoint Platform: an example that lets the widget's backend mode be tested
//! against the mock alone. The request to the token endpoint stays in-process but is
//! answered as one over HTTP, token endpoint faults included.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::config::defaults;
use crate::faults::Endpoint;
use crate::mock::faults;
use crate::oauth::params::Params;
use crate::oauth::token;
use crate::state::AppState;

/// The route.
pub(crate) const EXCHANGE: &str = "/example-backend/exchange";

/// The parameters taken from the browser; anything else it sends is ignored.
const FORWARDED: [&str; 3] = ["code", "code_verifier", "redirect_uri"];

/// Headers of the token endpoint's answer that reach the browser. `WWW-Authenticate` does
/// not: it challenges the backend, not the page.
const RELAYED: [header::HeaderName; 3] =
    [header::CONTENT_TYPE, header::CACHE_CONTROL, header::PRAGMA];

/// Redeems the code as `anypoint-signin-backend-example`; answers with the token
/// endpoint's status and JSON unchanged.
pub(crate) async fn exchange(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let params = match Params::from_body(&headers, &body) {
        Ok(params) => params,
        Err(error) => return error.into_response(),
    };
    let form = {
        let mut form = form_urlencoded::Serializer::new(String::new());
        form.append_pair("grant_type", "authorization_code");
        for name in FORWARDED {
            if let Some(value) = params.get(name) {
                form.append_pair(name, value);
            }
        }
        form.finish()
    };
    // The app's current secret, so that rotating it through the admin API does not break
    // the example; a real backend reads its secret from its own configuration.
    let secret = state
        .store()
        .directory
        .apps
        .get(defaults::BACKEND_CLIENT_ID)
        .and_then(|app| app.client_secret.clone())
        .unwrap_or_else(|| defaults::BACKEND_CLIENT_SECRET.to_owned());
    let encode = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let credentials = STANDARD.encode(format!(
        "{}:{}",
        encode(defaults::BACKEND_CLIENT_ID),
        encode(&secret)
    ));
    let mut request_headers = HeaderMap::new();
    request_headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-www-form-urlencoded"),
    );
    request_headers.insert(
        header::AUTHORIZATION,
        HeaderValue::from_str(&format!("Basic {credentials}"))
            .expect("base64 is a valid header value"),
    );
    let answer = faults::around(&state, Endpoint::Token, |fault| {
        std::future::ready(token::respond(
            &state,
            &request_headers,
            form.as_bytes(),
            fault,
        ))
    })
    .await;
    tracing::info!(status = %answer.status(), "example backend exchanged a code");
    let (parts, body) = answer.into_parts();
    let mut response = Response::new(body);
    *response.status_mut() = parts.status;
    for name in RELAYED {
        if let Some(value) = parts.headers.get(&name) {
            response.headers_mut().insert(name, value.clone());
        }
    }
    if !response.headers().contains_key(header::CACHE_CONTROL) {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
