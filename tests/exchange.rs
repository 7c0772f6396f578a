//! Exchanging the code somewhere else than at the token endpoint, in a real browser against
//! the real mock server: the `anypoint-signin-code` event's `respondWith`, and `exchangeurl`
//! pointing at a backend that holds a confidential app's secret.

#![cfg(target_arch = "wasm32")]

mod support;

use support::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const BACKEND_APP: &str = "anypoint-signin-backend-example";

/// Lets the mock's example backend app send its sign-ins back to this test page.
async fn allow_this_page_on_the_backend_app() {
    let body = format!(r#"{{"redirect_uris":["{}"]}}"#, redirect_uri());
    let (status, json) = admin_request(
        "PATCH",
        &format!("/accounts/api/connectedApplications/{BACKEND_APP}"),
        Some(&body),
    )
    .await;
    assert!((200..300).contains(&status), "{status} {json:?}");
}

/// Completes the sign-in at `callback`, which must fail with `exchange_failed` both as the
/// promise's rejection and as the error event; returns the event's detail.
async fn expect_exchange_failed(el: &web_sys::HtmlElement, callback: &str) -> JsValue {
    let errors = EventWaiter::new(el, "anypoint-signin-error");
    let rejected = handle_redirect_callback(el, callback).await.unwrap_err();
    assert_eq!(
        get_str(&rejected, "code").as_deref(),
        Some("exchange_failed")
    );
    let detail = errors.detail().await;
    assert_eq!(get_str(&detail, "code").as_deref(), Some("exchange_failed"));
    detail
}

/// Adds a listener for `anypoint-signin-code` running `respond(detail)`.
fn on_code(el: &web_sys::HtmlElement, respond: impl Fn(JsValue, web_sys::Event) + 'static) {
    let listener = Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
        let detail = event.unchecked_ref::<web_sys::CustomEvent>().detail();
        respond(detail, event);
    });
    el.add_event_listener_with_callback("anypoint-signin-code", listener.as_ref().unchecked_ref())
        .unwrap();
    listener.forget();
}

/// POSTs the code to the mock's example backend from the page's own code, as an app would.
fn backend_exchange(detail: &JsValue) -> js_sys::Promise {
    let body = js_sys::JSON::stringify(&{
        let o = js_sys::Object::new();
        for (to, from) in [
            ("code", "code"),
            ("code_verifier", "codeVerifier"),
            ("redirect_uri", "redirectUri"),
        ] {
            js_sys::Reflect::set(&o, &to.into(), &get(detail, from)).unwrap();
        }
        o.into()
    })
    .unwrap();
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&body);
    let headers = web_sys::Headers::new().unwrap();
    headers.set("Content-Type", "application/json").unwrap();
    init.set_headers(&headers);
    let url = format!("{}/example-backend/exchange", mock_url());
    let response = window().fetch_with_str_and_init(&url, &init);
    wasm_bindgen_futures::future_to_promise(async move {
        let response: web_sys::Response = wasm_bindgen_futures::JsFuture::from(response)
            .await?
            .unchecked_into();
        wasm_bindgen_futures::JsFuture::from(response.json()?).await
    })
}

#[wasm_bindgen_test]
async fn exchangeurl_sends_the_code_to_the_apps_backend() {
    allow_this_page_on_the_backend_app().await;
    let exchange = format!("{}/example-backend/exchange", mock_url());
    let el = mock_element(BACKEND_APP, "openid profile", &[("exchangeurl", &exchange)]);
    let callback = authorize_as_max(&el).await;
    let success = EventWaiter::new(&el, "anypoint-signin-success");
    handle_redirect_callback(&el, &callback)
        .await
        .expect("signed in through the backend");
    let detail = success.detail().await;
    assert_eq!(
        get_str(&get(&detail, "claims"), "aud").as_deref(),
        Some(BACKEND_APP)
    );
    sign_out(&el).await;
    el.remove();
}

#[wasm_bindgen_test]
async fn the_code_event_can_supply_the_token_response() {
    allow_this_page_on_the_backend_app().await;
    let el = mock_element(BACKEND_APP, "openid profile", &[]);
    let seen: std::rc::Rc<std::cell::RefCell<Option<JsValue>>> = Default::default();
    let keep = seen.clone();
    on_code(&el, move |detail, _| {
        keep.replace(Some(detail.clone()));
        let respond: js_sys::Function = get(&detail, "respondWith").unchecked_into();
        respond
            .call1(&JsValue::NULL, &backend_exchange(&detail))
            .unwrap();
    });
    let callback = authorize_as_max(&el).await;
    let success = EventWaiter::new(&el, "anypoint-signin-success");
    handle_redirect_callback(&el, &callback)
        .await
        .expect("signed in with the handler's tokens");
    success.detail().await;
    let detail = seen.borrow().clone().expect("the code event fired");
    assert_eq!(get_str(&detail, "code"), query_param(&callback, "code"));
    assert_eq!(get_str(&detail, "codeVerifier").map(|v| v.len()), Some(43));
    assert_eq!(get_str(&detail, "clientId").as_deref(), Some(BACKEND_APP));
    sign_out(&el).await;
    el.remove();
}

#[wasm_bindgen_test]
async fn a_rejected_respond_with_promise_is_reported() {
    let client_id = register_public_app(&["openid", "profile"]).await;
    let el = mock_element(&client_id, "openid profile", &[]);
    on_code(&el, |detail, _| {
        let respond: js_sys::Function = get(&detail, "respondWith").unchecked_into();
        let rejected = js_sys::Promise::reject(&js_sys::Error::new("backend down").into());
        respond.call1(&JsValue::NULL, &rejected).unwrap();
    });
    let callback = authorize_as_max(&el).await;
    let detail = expect_exchange_failed(&el, &callback).await;
    assert_eq!(get_str(&detail, "cause").as_deref(), Some("backend down"));
    el.remove();
}

#[wasm_bindgen_test]
async fn cancelling_the_code_event_without_a_response_is_reported() {
    let client_id = register_public_app(&["openid", "profile"]).await;
    let el = mock_element(&client_id, "openid profile", &[]);
    on_code(&el, |_, event| event.prevent_default());
    let callback = authorize_as_max(&el).await;
    expect_exchange_failed(&el, &callback).await;
    el.remove();
}

#[wasm_bindgen_test]
async fn an_unreachable_backend_is_reported() {
    let client_id = register_public_app(&["openid", "profile"]).await;
    let el = mock_element(
        &client_id,
        "openid profile",
        &[("exchangeurl", "http://127.0.0.1:9/exchange")],
    );
    let callback = authorize_as_max(&el).await;
    let detail = expect_exchange_failed(&el, &callback).await;
    assert!(
        get_str(&detail, "description")
            .unwrap()
            .contains("exchangeurl")
    );
    el.remove();
}

#[wasm_bindgen_test]
async fn a_backend_refusing_the_code_is_a_token_error() {
    allow_this_page_on_the_backend_app().await;
    let exchange = format!("{}/example-backend/exchange", mock_url());
    let el = mock_element(BACKEND_APP, "openid profile", &[("exchangeurl", &exchange)]);
    let callback = authorize_as_max(&el).await;
    let code = query_param(&callback, "code").unwrap();
    let forged = callback.replace(&code, "forged");
    let rejected = handle_redirect_callback(&el, &forged).await.unwrap_err();
    assert_eq!(get_str(&rejected, "code").as_deref(), Some("token_error"));
    el.remove();
}

/// The code event carries the PKCE verifier: it reaches listeners on the element, and no
/// listener outside the shadow root the element sits in, bubbling or capturing.
#[wasm_bindgen_test]
async fn the_code_event_stays_on_the_element() {
    let client_id = register_public_app(&["openid", "profile"]).await;
    let el = mock_element(&client_id, "openid profile", &[]);
    let host = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&host).unwrap();
    let root = host
        .attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open))
        .unwrap();
    root.append_child(&el).unwrap();

    let on_element: std::rc::Rc<std::cell::Cell<u32>> = Default::default();
    let count = on_element.clone();
    on_code(&el, move |detail, event| {
        assert!(!event.bubbles() && !event.composed());
        assert!(get_str(&detail, "codeVerifier").is_some());
        count.set(count.get() + 1);
    });
    let outside: std::rc::Rc<std::cell::Cell<u32>> = Default::default();
    let seen = outside.clone();
    let listener = Closure::<dyn Fn(web_sys::Event)>::new(move |_| seen.set(seen.get() + 1));
    let listener: js_sys::Function = listener.into_js_value().unchecked_into();
    let doc: web_sys::EventTarget = document().into();
    let targets: [web_sys::EventTarget; 3] =
        [doc, document().body().unwrap().into(), host.clone().into()];
    for target in &targets {
        for capture in [false, true] {
            target
                .add_event_listener_with_callback_and_bool(
                    "anypoint-signin-code",
                    &listener,
                    capture,
                )
                .unwrap();
        }
    }
    let callback = authorize_as_max(&el).await;
    let success = EventWaiter::new(&el, "anypoint-signin-success");
    handle_redirect_callback(&el, &callback)
        .await
        .expect("signed in");
    success.detail().await;
    assert_eq!(on_element.get(), 1, "the element's own listener hears it");
    assert_eq!(
        outside.get(),
        0,
        "no listener outside the element's shadow root does"
    );
    for target in &targets {
        for capture in [false, true] {
            target
                .remove_event_listener_with_callback_and_bool(
                    "anypoint-signin-code",
                    &listener,
                    capture,
                )
                .unwrap();
        }
    }
    sign_out(&el).await;
    host.remove();
}
