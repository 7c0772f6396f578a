//! The DOM events the element fires: all bubble and cross shadow boundaries (`composed`).

use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit, EventTarget};

use super::session::Session;
use crate::protocol::SigninError;

/// Fired after a completed sign-in; detail: the tokens and the ID token's claims.
pub const SUCCESS: &str = "anypoint-signin-success";
/// Fired for every failure; detail: `{code, description, cause}`.
pub const ERROR: &str = "anypoint-signin-error";
/// Fired after the access token was renewed; detail: the new tokens.
pub const TOKEN_REFRESHED: &str = "anypoint-signin-token-refreshed";
/// Fired after sign-out.
pub const SIGNOUT: &str = "anypoint-signin-signout";
/// Fired, cancelable, just before navigating to the authorization server; detail: `{url}`.
pub const REDIRECT: &str = "anypoint-signin-redirect";

/// Builds a plain object from `(key, value)` pairs.
pub fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let obj = Object::new();
    for (key, value) in fields {
        let _ = Reflect::set(&obj, &JsValue::from_str(key), value);
    }
    obj.into()
}

fn optional(value: Option<&str>) -> JsValue {
    value.map_or(JsValue::NULL, JsValue::from_str)
}

/// Dispatches `name` on `target`; returns false when a listener called `preventDefault()`.
fn dispatch(target: &EventTarget, name: &str, detail: &JsValue, cancelable: bool) -> bool {
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_cancelable(cancelable);
    init.set_detail(detail);
    match CustomEvent::new_with_event_init_dict(name, &init) {
        Ok(event) => target.dispatch_event(&event).unwrap_or(true),
        Err(_) => true,
    }
}

/// The `detail` of an error event.
pub fn error_detail(error: &SigninError) -> JsValue {
    object(&[
        ("code", JsValue::from_str(error.code.as_str())),
        ("description", JsValue::from_str(&error.description)),
        ("cause", optional(error.cause.as_deref())),
    ])
}

/// `anypoint-signin-error`.
pub fn error(target: &EventTarget, error: &SigninError) {
    dispatch(target, ERROR, &error_detail(error), false);
}

fn token_fields(session: &Session) -> Vec<(&'static str, JsValue)> {
    let record = &session.record;
    vec![
        (
            "accessToken",
            optional(record.access_token.as_ref().map(|t| t.secret())),
        ),
        ("tokenType", optional(record.token_type.as_deref())),
        (
            "expiresAt",
            record
                .expires_at_ms
                .map_or(JsValue::NULL, |ms| JsValue::from_f64(ms as f64)),
        ),
        ("scope", optional(record.scope.as_deref())),
        (
            "idToken",
            optional(record.id_token.as_ref().map(|t| t.secret())),
        ),
    ]
}

/// `anypoint-signin-success`; `restored` when the session came back from storage.
pub fn success(target: &EventTarget, session: &Session, restored: bool) {
    let mut fields = token_fields(session);
    fields.push(("claims", session.claims.clone()));
    fields.push(("user", session.user()));
    fields.push(("restored", JsValue::from_bool(restored)));
    dispatch(target, SUCCESS, &object(&fields), false);
}

/// `anypoint-signin-token-refreshed`.
pub fn token_refreshed(target: &EventTarget, session: &Session) {
    dispatch(
        target,
        TOKEN_REFRESHED,
        &object(&token_fields(session)),
        false,
    );
}

/// `anypoint-signin-signout`.
pub fn signout(target: &EventTarget) {
    dispatch(target, SIGNOUT, &object(&[]), false);
}

/// `anypoint-signin-redirect`; returns false when the page cancelled the navigation.
pub fn redirect(target: &EventTarget, url: &str) -> bool {
    dispatch(
        target,
        REDIRECT,
        &object(&[("url", JsValue::from_str(url))]),
        true,
    )
}
