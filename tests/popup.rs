//! Popup mode in a real browser against the real mock server: the window opened inside the
//! click, the callback posted back by the redirect page, and the blocked and closed cases.

#![cfg(target_arch = "wasm32")]

mod support;

use support::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn popup_element(extra: &[(&str, &str)]) -> web_sys::HtmlElement {
    let client_id = register_public_app(&["openid", "profile", "email"]).await;
    let mut attrs = vec![("mode", "popup")];
    attrs.extend_from_slice(extra);
    mock_element(&client_id, "openid profile", &attrs)
}

/// The sign-in popup, found by its window name.
fn the_popup() -> web_sys::Window {
    window()
        .open_with_url_and_target("", "anypoint-signin-popup")
        .unwrap()
        .expect("the popup is open")
}

/// Makes `window.open` return null, as a popup blocker does; returns the real one.
fn block_popups() -> JsValue {
    let real = get(&window(), "open");
    let blocked = wasm_bindgen::closure::Closure::<dyn Fn() -> JsValue>::new(|| JsValue::NULL);
    js_sys::Reflect::set(&window(), &"open".into(), blocked.as_ref()).unwrap();
    blocked.forget();
    real
}

fn restore_popups(real: &JsValue) {
    js_sys::Reflect::set(&window(), &"open".into(), real).unwrap();
}

fn sign_in_with_hint(el: &web_sys::HtmlElement, hint: &str) -> JsValue {
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"loginHint".into(), &hint.into()).unwrap();
    call(el.as_ref(), "signIn", &[options.into()])
}

#[wasm_bindgen_test]
async fn a_blocked_popup_is_reported_and_the_page_stays() {
    let el = popup_element(&[]).await;
    let real = block_popups();
    let errors = EventWaiter::new(&el, "anypoint-signin-error");
    button(&el).click();
    let detail = errors.detail().await;
    restore_popups(&real);
    assert_eq!(get_str(&detail, "code").as_deref(), Some("popup_blocked"));
    assert!(
        get_str(&detail, "description")
            .unwrap()
            .contains("popupfallback")
    );
    assert!(!button(&el).disabled());
    el.remove();
}

#[wasm_bindgen_test]
async fn a_blocked_popup_can_fall_back_to_redirect() {
    let el = popup_element(&[("popupfallback", "redirect")]).await;
    let real = block_popups();
    let url = click_and_capture_authorize_url(&el).await;
    restore_popups(&real);
    assert!(url.starts_with(&format!("{}/authorize?", mock_issuer())));
    el.remove();
}

#[wasm_bindgen_test]
async fn closing_the_popup_is_reported() {
    let el = popup_element(&[]).await;
    let redirect = EventWaiter::new(&el, "anypoint-signin-redirect");
    let errors = EventWaiter::new(&el, "anypoint-signin-error");
    button(&el).click();
    let url = get_str(&redirect.detail().await, "url").unwrap();
    let state = query_param(&url, "state").unwrap();
    assert_eq!(
        button(&el).get_attribute("aria-busy").as_deref(),
        Some("true")
    );
    the_popup().close().unwrap();
    let detail = errors.detail().await;
    assert_eq!(get_str(&detail, "code").as_deref(), Some("popup_closed"));
    assert_eq!(
        button(&el).get_attribute("aria-busy").as_deref(),
        Some("false")
    );
    assert!(
        session_storage()
            .get_item(&anypoint_signin::protocol::Transaction::storage_key(&state))
            .unwrap()
            .is_none(),
        "the abandoned transaction is removed"
    );
    el.remove();
}

#[wasm_bindgen_test]
async fn the_popup_callback_completes_the_sign_in_in_the_opener() {
    let el = popup_element(&[]).await;
    let success = EventWaiter::new(&el, "anypoint-signin-success");
    let redirect = EventWaiter::new(&el, "anypoint-signin-redirect");
    let pending = sign_in_with_hint(&el, "max");
    let url = get_str(&redirect.detail().await, "url").unwrap();
    assert_eq!(query_param(&url, "login_hint").as_deref(), Some("max"));
    let popup = the_popup();
    // Wait for the mock server to send the popup back to this origin.
    let origin = origin();
    let mut seen: Vec<String> = Vec::new();
    for _ in 0..100 {
        sleep(100).await;
        let href = popup
            .location()
            .href()
            .unwrap_or_else(|_| "(cross-origin)".into());
        let landed = href.starts_with(&origin) && href.contains("code=");
        if seen.last() != Some(&href) {
            seen.push(href);
        }
        if landed {
            break;
        }
    }
    assert!(
        seen.last().is_some_and(|h| h.contains("code=")),
        "the popup came back to the redirect URI: {seen:?} from {url}"
    );
    // Stand in for the redirect page (which in an app runs this same element): post the
    // callback to the opener from inside the popup.
    let document = popup.document().unwrap();
    let script = document.create_element("script").unwrap();
    script.set_text_content(Some(
        "opener.postMessage({type:'anypoint-signin-callback',params:location.search.slice(1)},location.origin)",
    ));
    document.body().unwrap().append_child(&script).unwrap();

    let detail = success.detail().await;
    assert!(get_str(&detail, "accessToken").is_some());
    assert_eq!(get(el.as_ref(), "signedIn"), JsValue::TRUE);
    await_promise(pending).await.unwrap();
    for _ in 0..20 {
        if popup.closed().unwrap_or(true) {
            break;
        }
        sleep(50).await;
    }
    assert!(popup.closed().unwrap(), "the opener closes the popup");
    sign_out(&el).await;
    el.remove();
}

#[wasm_bindgen_test]
async fn a_message_from_another_window_is_ignored() {
    let el = popup_element(&[]).await;
    let errors = EventWaiter::new(&el, "anypoint-signin-error");
    let redirect = EventWaiter::new(&el, "anypoint-signin-redirect");
    button(&el).click();
    let url = get_str(&redirect.detail().await, "url").unwrap();
    let state = query_param(&url, "state").unwrap();
    // The page itself (not the popup) posts a forged callback: it must not be accepted.
    window()
        .post_message(
            &events_object(&format!("code=forged&state={state}")),
            &origin(),
        )
        .unwrap();
    sleep(300).await;
    assert_eq!(get(el.as_ref(), "signedIn"), JsValue::FALSE);
    assert_eq!(
        button(&el).get_attribute("aria-busy").as_deref(),
        Some("true"),
        "still waiting"
    );
    the_popup().close().unwrap();
    assert_eq!(
        get_str(&errors.detail().await, "code").as_deref(),
        Some("popup_closed")
    );
    el.remove();
}

fn events_object(params: &str) -> JsValue {
    let message = js_sys::Object::new();
    js_sys::Reflect::set(&message, &"type".into(), &"anypoint-signin-callback".into()).unwrap();
    js_sys::Reflect::set(&message, &"params".into(), &params.into()).unwrap();
    message.unchecked_into()
}

#[wasm_bindgen_test]
async fn an_unknown_mode_is_a_configuration_error() {
    let (el, errors) = element_listening(
        &[
            ("clientid", "abc"),
            ("redirecturi", &redirect_uri()),
            ("mode", "iframe"),
        ],
        "anypoint-signin-error",
    );
    assert_eq!(
        get_str(&errors.detail().await, "code").as_deref(),
        Some("invalid_mode")
    );
    el.remove();
}

#[wasm_bindgen_test]
async fn a_popup_that_never_comes_back_times_out() {
    let el = popup_element(&[]).await;
    let errors = EventWaiter::new(&el, "anypoint-signin-error");
    // The real limit is the transaction's 10 minutes; the test build lets it be shortened.
    let options = js_sys::Object::new();
    js_sys::Reflect::set(
        &options,
        &"popupTimeoutMs".into(),
        &JsValue::from_f64(1500.0),
    )
    .unwrap();
    let pending = call(el.as_ref(), "signIn", &[options.into()]);
    let popup = the_popup();
    let detail = errors.detail().await;
    assert_eq!(get_str(&detail, "code").as_deref(), Some("popup_timeout"));
    assert!(await_promise(pending).await.is_err());
    for _ in 0..20 {
        if popup.closed().unwrap_or(true) {
            break;
        }
        sleep(50).await;
    }
    assert!(popup.closed().unwrap(), "the abandoned popup is closed");
    assert_eq!(
        button(&el).get_attribute("aria-busy").as_deref(),
        Some("false")
    );
    el.remove();
}
