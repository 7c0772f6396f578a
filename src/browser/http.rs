//! `fetch` for the few requests the sign-in makes: discovery (GET) and the token endpoint (POST).

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestCredentials, RequestInit, Response};

/// The parts of an HTTP response the protocol core reads.
pub struct HttpResponse {
    /// The HTTP status code.
    pub status: u16,
    /// The body as text.
    pub body: String,
}

/// Why a request produced no response: the network, CORS or a blocked URL. The browser keeps
/// the details to itself, so the message is all there is.
pub struct NetworkError(pub String);

async fn send(url: &str, init: &RequestInit) -> Result<HttpResponse, NetworkError> {
    init.set_credentials(RequestCredentials::Omit);
    send_with_cookies(url, init).await
}

/// Sends with the browser's default credentials mode (`same-origin`): for the app's own
/// backend, which may need its session cookie.
pub async fn send_with_cookies(
    url: &str,
    init: &RequestInit,
) -> Result<HttpResponse, NetworkError> {
    let failed = |e: wasm_bindgen::JsValue| {
        NetworkError(
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
                .unwrap_or_else(|| "request failed".into()),
        )
    };
    let response: Response = JsFuture::from(super::window().fetch_with_str_and_init(url, init))
        .await
        .map_err(failed)?
        .unchecked_into();
    let text = JsFuture::from(response.text().map_err(failed)?)
        .await
        .map_err(failed)?;
    Ok(HttpResponse {
        status: response.status(),
        body: text.as_string().unwrap_or_default(),
    })
}

/// `GET url` without cookies.
pub async fn get(url: &str) -> Result<HttpResponse, NetworkError> {
    let init = RequestInit::new();
    init.set_method("GET");
    send(url, &init).await
}

/// `POST url` with a form-encoded body, without cookies (RFC 6749 §4.1.3).
pub async fn post_form(url: &str, body: &str) -> Result<HttpResponse, NetworkError> {
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_body(&body.into());
    let headers = web_sys::Headers::new().map_err(|_| NetworkError("no Headers".into()))?;
    headers
        .set("Content-Type", "application/x-www-form-urlencoded")
        .and_then(|_| headers.set("Accept", "application/json"))
        .map_err(|_| NetworkError("no Headers".into()))?;
    init.set_headers(&headers);
    send(url, &init).await
}

/// `GET url` with `Authorization: Bearer token` (RFC 6750 §2.1), without cookies.
pub async fn get_with_bearer(url: &str, token: &str) -> Result<HttpResponse, NetworkError> {
    let init = RequestInit::new();
    init.set_method("GET");
    let headers = web_sys::Headers::new().map_err(|_| NetworkError("no Headers".into()))?;
    headers
        .set("Authorization", &["Bearer ", token].concat())
        .and_then(|_| headers.set("Accept", "application/json"))
        .map_err(|_| NetworkError("no Headers".into()))?;
    init.set_headers(&headers);
    send(url, &init).await
}
