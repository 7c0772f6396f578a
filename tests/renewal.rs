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

/// A `BroadcastChannel` of this page named `name`, collecting what others post on it.
fn listen_on(name: &str) -> (JsValue, std::rc::Rc<std::cell::RefCell<Vec<JsValue>>>) {
    let ctor: js_sys::Function = get(&window(), "BroadcastChannel").unchecked_into();
    let channel = js_sys::Reflect::construct(&ctor, &js_sys::Array::of1(&name.into())).unwrap();
    let heard: std::rc::Rc<std::cell::RefCell<Vec<JsValue>>> = Default::default();
    let keep = heard.clone();
    let on_message = wasm_bindgen::closure::Closure::<dyn Fn(JsValue)>::new(move |e: JsValue| {
        keep.borrow_mut().push(get(&e, "data"));
    });
    js_sys::Reflect::set(&channel, &"onmessage".into(), &on_message.into_js_value()).unwrap();
    (channel, heard)
}

fn post(channel: &JsValue, kind: &str, previous: &str, record: &SessionRecord) {
    let message = js_sys::Object::new();
    for (key, value) in [
        ("type", kind.to_owned()),
        ("previous", previous.to_owned()),
        ("record", record.to_storage_string()),
    ] {
        js_sys::Reflect::set(&message, &key.into(), &value.into()).unwrap();
    }
    call(channel, "postMessage", &[message.into()]);
}

/// A renewal is shared on the channel of this issuer and client only, and a message about
/// another session (issuer, client, subject or generation) is not adopted.
#[wasm_bindgen_test]
async fn renewals_are_shared_only_with_contexts_of_the_same_issuer_and_client() {
    let (el, client_id, _) = signed_in_element_with(OFFLINE, &[], Some("short_lived")).await;
    let name = anypoint_signin::protocol::channel_name(&mock_issuer(), &client_id);
    let (channel, heard) = listen_on(&name);
    let (_, unscoped) = listen_on("anypoint-signin");
    let first_refresh = stored_refresh_token(&client_id);
    let refreshed = EventWaiter::new(&el, "anypoint-signin-token-refreshed");
    let renewed = refreshed.detail().await;
    sleep(200).await;
    assert!(
        unscoped.borrow().is_empty(),
        "nothing on a channel every app shares"
    );
    let messages = heard.borrow().clone();
    assert_eq!(messages.len(), 1, "one renewal, one message");
    assert_eq!(get_str(&messages[0], "type").as_deref(), Some("refreshed"));
    let shared =
        SessionRecord::from_storage_string(&get_str(&messages[0], "record").unwrap()).unwrap();
    assert_eq!(
        (shared.issuer.as_str(), shared.client_id.as_str()),
        (mock_issuer().as_str(), client_id.as_str())
    );
    assert_eq!(
        shared.access_token.as_ref().map(|t| t.secret().to_owned()),
        get_str(&renewed, "accessToken")
    );
    if let Some(rt) = &shared.refresh_token {
        assert_ne!(
            rt.secret(),
            first_refresh,
            "a refresh token is sent only once rotated"
        );
    }

    let mine = SessionRecord::from_storage_string(
        &session_storage()
            .get_item(&SessionRecord::storage_key(&client_id))
            .unwrap()
            .unwrap(),
    )
    .unwrap();
    let current = get_str(el.as_ref(), "accessToken").unwrap();
    let forged = |change: &dyn Fn(&mut SessionRecord)| {
        let mut record = SessionRecord {
            access_token: Some(anypoint_signin::protocol::AccessToken::new("forged".into())),
            generation: "forged-generation".into(),
            ..mine.clone()
        };
        change(&mut record);
        record
    };
    let another_user = forged(&|r| r.subject = Some("someone-else".into()));
    let another_app = forged(&|r| r.client_id = "another-app".into());
    let another_issuer = forged(&|r| r.issuer = "https://evil.example".into());
    for record in [&another_user, &another_app, &another_issuer] {
        post(&channel, "refreshed", &mine.generation, record);
    }
    post(
        &channel,
        "refreshed",
        "an-older-generation",
        &forged(&|_| {}),
    );
    post(&channel, "signout", &mine.generation, &another_user);
    // Messages that are not the element's objects at all.
    for junk in [
        JsValue::NULL,
        JsValue::from_str("refreshed"),
        js_sys::Array::of1(&"signout".into()).into(),
    ] {
        call(&channel, "postMessage", &[junk]);
    }
    sleep(200).await;
    assert_eq!(
        get_str(el.as_ref(), "accessToken"),
        Some(current),
        "none adopted"
    );
    assert_eq!(get(el.as_ref(), "signedIn"), JsValue::TRUE);

    // The same message about this very session is adopted: the checks above are what refused.
    post(&channel, "refreshed", &mine.generation, &forged(&|_| {}));
    sleep(200).await;
    assert_eq!(
        get_str(el.as_ref(), "accessToken").as_deref(),
        Some("forged")
    );
    sign_out(&el).await;
    el.remove();
}
