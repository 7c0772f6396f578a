//! A trap inside a synchronous call into Rust reaches the page as an error event.
//!
//! Its own test binary (and page): a trapped module stays unusable.

#![cfg(all(target_arch = "wasm32", feature = "test-hooks"))]

mod support;

use support::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn a_trap_in_a_method_call_becomes_an_internal_error_event() {
    let el = element(&[
        ("clientid", "abc"),
        ("redirecturi", "https://app.example/cb"),
    ]);
    let errors = EventWaiter::new(&el, "anypoint-signin-error");
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"trap".into(), &"sync".into()).unwrap();
    let result = call(el.as_ref(), "signIn", &[options.into()]);
    assert!(
        await_promise(result).await.is_ok(),
        "no exception reaches the caller"
    );

    let detail = errors.detail().await;
    assert_eq!(get_str(&detail, "code").as_deref(), Some("internal_error"));
    assert!(get_str(&detail, "description").unwrap().contains("reload"));
    assert!(
        button(&el).disabled(),
        "the button is disabled, not left dead but clickable"
    );
    assert_eq!(
        get(el.as_ref(), "signedIn"),
        JsValue::FALSE,
        "later calls do not throw"
    );
}
