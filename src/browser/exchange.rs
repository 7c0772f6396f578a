//! Exchanging the authorization code for tokens (RFC 6749 §4.1.3), in one of three ways:
//!
//! 1. the page's `anypoint-signin-code` handler calls `event.detail.respondWith(promise)` and
//!    supplies the token response itself (e.g. from its own backend call);
//! 2. the `exchangeurl` attribute names the app's backend, which holds the connected app's
//!    client secret: the element POSTs `{code, code_verifier, redirect_uri}` there as JSON
//!    and reads back the token endpoint's answer;
//! 3. otherwise the element exchanges the code at the token endpoint itself, as a public
//!    client with its PKCE verifier (RFC 7636 §4.5).
//!
//! The answer is validated the same way whichever path brought it.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{CustomEvent, CustomEventInit, EventTarget, RequestInit};

use super::events::object;
use super::{http, json::BrowserJson};
use crate::protocol::{
    AuthorizationCode, ErrorCode, ProviderMetadata, SigninError, TokenResponse, Transaction,
    authorization_code_body, parse_token_response,
};

/// Fired, cancelable, on the element only (neither bubbling nor composed), with the code
/// before it is exchanged; detail: `{code, codeVerifier, redirectUri, clientId,
/// respondWith(promise)}`.
pub const CODE: &str = "anypoint-signin-code";

fn failed(description: impl Into<String>) -> SigninError {
    SigninError::new(ErrorCode::ExchangeFailed, description)
}

/// Exchanges `code` (from the sign-in `tx`) for tokens.
pub async fn exchange(
    host: &EventTarget,
    exchange_url: Option<&str>,
    metadata: &ProviderMetadata,
    tx: &Transaction,
    code: &AuthorizationCode,
) -> Result<TokenResponse, SigninError> {
    if let Some(supplied) = ask_the_page(host, tx, code)? {
        let value = JsFuture::from(supplied).await.map_err(|e| {
            failed("The anypoint-signin-code handler's promise was rejected, so the code was not exchanged.")
                .with_cause(describe(&e))
        })?;
        let text = match value.as_string() {
            Some(text) => text,
            None => js_sys::JSON::stringify(&value)
                .ok()
                .and_then(|t| t.as_string())
                .unwrap_or_default(),
        };
        return parse_token_response(200, &text, &BrowserJson);
    }
    if let Some(url) = exchange_url {
        let response = post_to_backend(url, tx, code).await.map_err(|e| {
            failed(
                [
                    "Could not reach the app's code exchange at ",
                    url,
                    " (the exchangeurl attribute).",
                ]
                .concat(),
            )
            .with_cause(e)
        })?;
        return parse_token_response(response.status, &response.body, &BrowserJson);
    }
    let body = authorization_code_body(code, &tx.redirect_uri, &tx.client_id, &tx.verifier);
    let response = http::post_form(&metadata.token_endpoint, &body)
        .await
        .map_err(|e| {
            SigninError::new(
                ErrorCode::TokenRequestFailed,
                [
                    "Could not reach the token endpoint ",
                    &metadata.token_endpoint,
                    ": check the network and that the server allows this origin (CORS).",
                ]
                .concat(),
            )
            .with_cause(e.0)
        })?;
    parse_token_response(response.status, &response.body, &BrowserJson)
}

/// Fires `anypoint-signin-code`; returns the promise a listener passed to `respondWith`.
fn ask_the_page(
    host: &EventTarget,
    tx: &Transaction,
    code: &AuthorizationCode,
) -> Result<Option<Promise>, SigninError> {
    let supplied: Rc<RefCell<Option<Promise>>> = Rc::default();
    let slot = supplied.clone();
    let respond_with = Closure::<dyn FnMut(JsValue)>::new(move |value: JsValue| {
        slot.replace(Some(Promise::resolve(&value)));
    });
    let detail = object(&[
        ("code", code.secret().into()),
        ("codeVerifier", tx.verifier.secret().into()),
        ("redirectUri", tx.redirect_uri.as_str().into()),
        ("clientId", tx.client_id.as_str().into()),
        (
            "respondWith",
            respond_with
                .as_ref()
                .unchecked_ref::<Function>()
                .clone()
                .into(),
        ),
    ]);
    // The detail carries the PKCE verifier: only listeners on the element itself may see
    // it, not every listener of the document or of an enclosing shadow root.
    let init = CustomEventInit::new();
    init.set_bubbles(false);
    init.set_composed(false);
    init.set_cancelable(true);
    init.set_detail(&detail);
    let event = CustomEvent::new_with_event_init_dict(CODE, &init)
        .map_err(|_| failed("The browser could not create the anypoint-signin-code event."))?;
    let not_cancelled = host.dispatch_event(&event).unwrap_or(true);
    drop(respond_with);
    let supplied = supplied.take();
    if supplied.is_none() && !not_cancelled {
        return Err(failed(
            "An anypoint-signin-code handler cancelled the exchange without calling event.detail.respondWith(promise).",
        ));
    }
    Ok(supplied)
}

async fn post_to_backend(
    url: &str,
    tx: &Transaction,
    code: &AuthorizationCode,
) -> Result<http::HttpResponse, String> {
    let body = js_sys::JSON::stringify(&object(&[
        ("code", code.secret().into()),
        ("code_verifier", tx.verifier.secret().into()),
        ("redirect_uri", tx.redirect_uri.as_str().into()),
    ]))
    .map_err(|_| String::from("JSON.stringify failed"))?;
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_body(&body);
    let headers = web_sys::Headers::new().map_err(|_| String::from("no Headers"))?;
    headers
        .set("Content-Type", "application/json")
        .and_then(|_| headers.set("Accept", "application/json"))
        .map_err(|_| String::from("no Headers"))?;
    init.set_headers(&headers);
    http::send_with_cookies(url, &init).await.map_err(|e| e.0)
}

fn describe(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "rejected".into())
}
