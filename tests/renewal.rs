//! Renewing the access token with the refresh token, in a real browser against the real
//! mock server (whose `short_lived` fault makes a token response say it expires in 5 s).

#![cfg(target_arch = "wasm32")]

mod support;

use anypoint_signin::protocol::SessionRecord;
use support::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const OFFLINE: &str = "openid profile offline_access";

fn stored_refresh_token(client_id: &str) -> String {
    let raw = session_storage()
        .get_item(&SessionRecord::storage_key(client_id))
        .unwrap()
        .expect("a stored session");
    let record = SessionRecord::from_storage_string(&raw).unwrap();
    record.refresh_token.unwrap().secret().to_owned()
}

#[wasm_bindgen_test]
async fn the_token_is_renewed_ahead_of_expiry_without_being_asked() {
    let (el, client_id, detail) = signed_in_element_with(OFFLINE, &[], Some("short_lived")).await;
    let first = get_str(&detail, "accessToken").unwrap();
    let first_refresh = stored_refresh_token(&client_id);
    let refreshed = EventWaiter::new(&el, "anypoint-signin-token-refreshed");
    let renewed = refreshed.detail().await;
    let second = get_str(&renewed, "accessToken").unwrap();
    assert_ne!(second, first);
    assert!(get(&renewed, "expiresAt").as_f64().unwrap() > js_sys::Date::now() + 3_000_000.0);
    assert_eq!(get_str(el.as_ref(), "accessToken"), Some(second.clone()));
    assert_ne!(
        stored_refresh_token(&client_id),
        first_refresh,
        "the rotated token is kept"
    );
    let token = await_promise(call(el.as_ref(), "getAccessToken", &[]))
        .await
        .unwrap();
    assert_eq!(token.as_string(), Some(second));
    sign_out(&el).await;
    el.remove();
}

#[wasm_bindgen_test]
async fn get_access_token_renews_a_token_about_to_expire() {
    let (el, _, detail) = signed_in_element_with(OFFLINE, &[], Some("short_lived")).await;
    let first = get_str(&detail, "accessToken").unwrap();
    let announced = std::rc::Rc::new(std::cell::Cell::new(0));
    let count = announced.clone();
    let listener =
        wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || count.set(count.get() + 1));
    el.add_event_listener_with_callback(
        "anypoint-signin-token-refreshed",
        wasm_bindgen::JsCast::unchecked_ref(listener.as_ref()),
    )
    .unwrap();
    // Two callers at once: one renewal, both get its token (a second use of the rotated
    // refresh token would make the server revoke the whole session).
    let a = call(el.as_ref(), "getAccessToken", &[]);
    let b = call(el.as_ref(), "getAccessToken", &[]);
    let a = await_promise(a).await.unwrap().as_string().unwrap();
    let b = await_promise(b).await.unwrap().as_string().unwrap();
    assert_ne!(a, first);
    assert_eq!(a, b);
    // Regression: the caller that waited for the lock announced the same renewal again.
    assert_eq!(
        announced.get(),
        1,
        "one renewal, one anypoint-signin-token-refreshed"
    );
    drop(listener);
    let userinfo = format!("{}/userinfo", mock_issuer());
    assert_eq!(
        status_with_bearer(&userinfo, &a).await,
        200,
        "the renewed token works"
    );
    sign_out(&el).await;
    el.remove();
}

#[wasm_bindgen_test]
async fn a_passing_server_error_is_retried_with_back_off() {
    let (el, _, detail) = signed_in_element_with(OFFLINE, &[], Some("short_lived")).await;
    let first = get_str(&detail, "accessToken").unwrap();
    inject_fault("token", "server_error", 1).await;
    let refreshed = EventWaiter::new(&el, "anypoint-signin-token-refreshed");
    let renewed = refreshed.detail().await;
    assert_ne!(get_str(&renewed, "accessToken").unwrap(), first);
    assert_eq!(get(el.as_ref(), "signedIn"), JsValue::TRUE);
    sign_out(&el).await;
    el.remove();
}

#[wasm_bindgen_test]
async fn a_refused_refresh_token_signs_out_with_session_expired() {
    let (el, client_id, _) = signed_in_element_with(OFFLINE, &[], Some("short_lived")).await;
    let errors = EventWaiter::new(&el, "anypoint-signin-error");
    let body = format!(
        "token={}&token_type_hint=refresh_token&client_id={client_id}",
        String::from(js_sys::encode_uri_component(&stored_refresh_token(
            &client_id
        )))
    );
    assert_eq!(
        post_form(&format!("{}/revoke", mock_issuer()), &body).await,
        200
    );
    let outcome = await_promise(call(el.as_ref(), "getAccessToken", &[])).await;
    let code = get_str(&outcome.unwrap_err(), "code").unwrap();
    assert!(
        code == "session_expired" || code == "not_signed_in",
        "{code}"
    );
    let detail = errors.detail().await;
    assert_eq!(get_str(&detail, "code").as_deref(), Some("session_expired"));
    assert_eq!(get(el.as_ref(), "signedIn"), JsValue::FALSE);
    assert_eq!(
        button(&el).text_content().as_deref(),
        Some("Sign in with Anypoint Platform")
    );
    assert!(
        session_storage()
            .get_item(&SessionRecord::storage_key(&client_id))
            .unwrap()
            .is_none(),
        "the dead session is forgotten"
    );
    el.remove();
}

#[wasm_bindgen_test]
async fn without_a_refresh_token_an_expiring_session_ends() {
    let (el, _, detail) = signed_in_element_with("openid profile", &[], Some("short_lived")).await;
    let expires_in = get(&detail, "expiresAt").as_f64().unwrap() - js_sys::Date::now();
    assert!(
        expires_in < 6_000.0,
        "the token response said 5 s: {expires_in}"
    );
    let errors = EventWaiter::new(&el, "anypoint-signin-error");
    let rejected = await_promise(call(el.as_ref(), "getAccessToken", &[]))
        .await
        .unwrap_err();
    assert_eq!(
        get_str(&rejected, "code").as_deref(),
        Some("session_expired")
    );
    let description = get_str(&errors.detail().await, "description").unwrap();
    assert!(description.contains("offline_access"), "{description}");
    assert_eq!(get(el.as_ref(), "signedIn"), JsValue::FALSE);
    el.remove();
}

#[wasm_bindgen_test]
async fn without_web_locks_the_storage_lock_still_renews_once() {
    // A browser without the Web Locks API: the element falls back to a lock marker in
    // localStorage. Hide navigator.locks for this test only.
    let navigator: js_sys::Object = get(&window(), "navigator").unchecked_into();
    let hide = js_sys::Object::new();
    js_sys::Reflect::set(&hide, &"value".into(), &JsValue::UNDEFINED).unwrap();
    js_sys::Reflect::set(&hide, &"configurable".into(), &JsValue::TRUE).unwrap();
    js_sys::Object::define_property(&navigator, &"locks".into(), &hide);
    assert!(get(navigator.as_ref(), "locks").is_undefined());

    let (el, _, detail) = signed_in_element_with(OFFLINE, &[], Some("short_lived")).await;
    let first = get_str(&detail, "accessToken").unwrap();
    let a = call(el.as_ref(), "getAccessToken", &[]);
    let b = call(el.as_ref(), "getAccessToken", &[]);
    let a = await_promise(a).await.unwrap().as_string().unwrap();
    let b = await_promise(b).await.unwrap().as_string().unwrap();
    js_sys::Reflect::delete_property(&navigator, &"locks".into()).unwrap();

    assert_ne!(a, first);
    assert_eq!(a, b, "one renewal shared by both callers");
    assert_eq!(
        get(el.as_ref(), "signedIn"),
        JsValue::TRUE,
        "no refresh token spent twice"
    );
    let storage = window().local_storage().unwrap().unwrap();
    for i in 0..storage.length().unwrap() {
        let key = storage.key(i).unwrap().unwrap();
        let value = storage.get_item(&key).unwrap().unwrap_or_default();
        assert!(!value.contains(&a), "no token in localStorage ({key})");
    }
    sign_out(&el).await;
    el.remove();
}
