//! Helpers shared by the headless-browser tests: elements, events, and the mock server.

#![allow(dead_code)]
// Each test binary uses a subset; a missing server variable is a setup error worth a loud panic.
#![allow(clippy::option_env_unwrap)]

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{CustomEvent, Document, HtmlElement, HtmlIFrameElement, Window};

/// The mock authorization server started by `scripts/with-mock-server.sh`.
pub fn mock_url() -> &'static str {
    option_env!("ANYPOINT_MOCK_URL")
        .expect("ANYPOINT_MOCK_URL is not set: run the browser tests through `make test`")
}

/// The mock server's admin bearer token.
pub fn admin_token() -> &'static str {
    option_env!("ANYPOINT_MOCK_ADMIN_TOKEN")
        .expect("ANYPOINT_MOCK_ADMIN_TOKEN is not set: run the browser tests through `make test`")
}

/// The mock server's issuer.
pub fn mock_issuer() -> String {
    format!("{}/accounts/api/v2/oauth2", mock_url())
}

pub fn window() -> Window {
    web_sys::window().unwrap()
}

/// The page's document, with `<anypoint-signin>` defined (test binaries load the module
/// without the package's entry, which hands the runner `handle`).
pub fn document() -> Document {
    anypoint_signin::browser::define();
    window().document().unwrap()
}

/// Creates `<anypoint-signin>` with `attrs`, not yet attached.
fn create(attrs: &[(&str, &str)]) -> HtmlElement {
    let el: HtmlElement = document()
        .create_element("anypoint-signin")
        .unwrap()
        .unchecked_into();
    for (name, value) in attrs {
        el.set_attribute(name, value).unwrap();
    }
    el
}

/// Creates `<anypoint-signin>` with `attrs`, attached to the body.
pub fn element(attrs: &[(&str, &str)]) -> HtmlElement {
    let el = create(attrs);
    document().body().unwrap().append_child(&el).unwrap();
    el
}

/// Creates `<anypoint-signin>` with `attrs` and starts listening for `event` before attaching
/// it, so events fired while connecting are not missed.
pub fn element_listening(attrs: &[(&str, &str)], event: &str) -> (HtmlElement, EventWaiter) {
    let el = create(attrs);
    let waiter = EventWaiter::new(&el, event);
    document().body().unwrap().append_child(&el).unwrap();
    (el, waiter)
}

/// Creates `<anypoint-signin>` for the mock server's app `client_id`: the callback fixture as
/// redirect URI, the mock issuer, `scopes`, then the `extra` attributes.
pub fn mock_element(client_id: &str, scopes: &str, extra: &[(&str, &str)]) -> HtmlElement {
    let issuer = mock_issuer();
    let redirect = redirect_uri();
    let mut attrs = vec![
        ("clientid", client_id),
        ("redirecturi", redirect.as_str()),
        ("issuer", issuer.as_str()),
        ("scopes", scopes),
    ];
    attrs.extend_from_slice(extra);
    element(&attrs)
}

/// Clicks `el`'s button and runs the authorization request at the mock server, signed in
/// as `max` with consent; returns the callback URL it redirects to.
pub async fn authorize_as_max(el: &HtmlElement) -> String {
    let url = click_and_capture_authorize_url(el).await;
    follow_in_iframe(&format!("{url}&login_hint=max")).await
}

/// `el.handleRedirectCallback(callback)`.
pub async fn handle_redirect_callback(
    el: &HtmlElement,
    callback: &str,
) -> Result<JsValue, JsValue> {
    await_promise(call(
        el.as_ref(),
        "handleRedirectCallback",
        &[callback.into()],
    ))
    .await
}

/// The element's shadow-DOM node matching `selector`.
pub fn shadow(el: &HtmlElement, selector: &str) -> web_sys::Element {
    el.shadow_root()
        .expect("open shadow root")
        .query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector} in the shadow root"))
}

/// The shadow-DOM button.
pub fn button(el: &HtmlElement) -> web_sys::HtmlButtonElement {
    shadow(el, "button").unchecked_into()
}

/// Reads a JS property as a value.
pub fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(key)).unwrap()
}

/// Reads a JS property as a string.
pub fn get_str(target: &JsValue, key: &str) -> Option<String> {
    get(target, key).as_string()
}

/// Calls a method of `target` with `args`.
pub fn call(target: &JsValue, method: &str, args: &[JsValue]) -> JsValue {
    let f: Function = get(target, method).unchecked_into();
    let array: js_sys::Array = args.iter().collect();
    f.apply(target, &array).unwrap()
}

/// Awaits a JS promise.
pub async fn await_promise(value: JsValue) -> Result<JsValue, JsValue> {
    JsFuture::from(value.unchecked_into::<Promise>()).await
}

/// Waits `ms` milliseconds.
pub async fn sleep(ms: i32) {
    let promise = Promise::new(&mut |resolve, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

/// Collects the first `name` event on a target.
pub struct EventWaiter {
    promise: Promise,
}

impl EventWaiter {
    pub fn new(target: &web_sys::EventTarget, name: &str) -> EventWaiter {
        let target = target.clone();
        let name = name.to_owned();
        let promise = Promise::new(&mut |resolve, reject| {
            let options = web_sys::AddEventListenerOptions::new();
            options.set_once(true);
            target
                .add_event_listener_with_callback_and_add_event_listener_options(
                    &name, &resolve, &options,
                )
                .unwrap();
            let timeout = Closure::once_into_js(move || {
                reject
                    .call1(
                        &JsValue::NULL,
                        &JsValue::from_str("timed out waiting for the event"),
                    )
                    .unwrap();
            });
            window()
                .set_timeout_with_callback_and_timeout_and_arguments_0(
                    timeout.unchecked_ref(),
                    10_000,
                )
                .unwrap();
        });
        EventWaiter { promise }
    }

    /// The event's `detail`, or a panic naming the event when it did not come within 10 s.
    pub async fn detail(self) -> JsValue {
        let event = JsFuture::from(self.promise)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        event.unchecked_into::<CustomEvent>().detail()
    }
}

/// Sends a JSON request with the admin token to the mock server; returns (status, body).
pub async fn admin_request(method: &str, path: &str, body: Option<&str>) -> (u16, JsValue) {
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    let headers = web_sys::Headers::new().unwrap();
    headers
        .set("Authorization", &format!("Bearer {}", admin_token()))
        .unwrap();
    if let Some(body) = body {
        headers.set("Content-Type", "application/json").unwrap();
        init.set_body(&JsValue::from_str(body));
    }
    init.set_headers(&headers);
    let response: web_sys::Response =
        JsFuture::from(window().fetch_with_str_and_init(&format!("{}{path}", mock_url()), &init))
            .await
            .unwrap()
            .unchecked_into();
    let status = response.status();
    let text = JsFuture::from(response.text().unwrap()).await.unwrap();
    let json = js_sys::JSON::parse(&text.as_string().unwrap_or_default()).unwrap_or(text);
    (status, json)
}

/// Loads `url` in a hidden iframe and returns the same-origin address it lands on (the
/// authorization server redirects back to this page's origin).
pub async fn follow_in_iframe(url: &str) -> String {
    let frame: HtmlIFrameElement = document()
        .create_element("iframe")
        .unwrap()
        .unchecked_into();
    frame.set_hidden(true);
    document().body().unwrap().append_child(&frame).unwrap();
    frame.set_src(url);
    let origin = window().location().origin().unwrap();
    for _ in 0..100 {
        sleep(100).await;
        let href = frame
            .content_window()
            .and_then(|w| w.location().href().ok())
            .unwrap_or_default();
        if href.starts_with(&origin) {
            frame.remove();
            return href;
        }
    }
    panic!("the authorization server did not redirect back within 10 s");
}

/// This test page's origin, e.g. `http://127.0.0.1:8471`.
pub fn origin() -> String {
    window().location().origin().unwrap()
}

/// The redirect URI the browser tests register: a static page on this page's origin
/// (the test runner serves the crate's files), so a popup can land on a real document.
pub fn redirect_uri() -> String {
    format!("{}/tests/fixtures/callback.html", origin())
}

/// Registers a public connected app for this page's origin; returns its client id.
pub async fn register_public_app(scopes: &[&str]) -> String {
    register_app(scopes, "").await
}

/// Registers a public connected app with `extra` JSON members (e.g.
/// `,"id_token_signed_response_alg":"ES256"`); returns its client id.
pub async fn register_app(scopes: &[&str], extra: &str) -> String {
    let name = format!("browser-test-{}", (js_sys::Math::random() * 1e12) as u64);
    let scopes = scopes
        .iter()
        .map(|s| format!("\"{s}\""))
        .collect::<Vec<_>>()
        .join(",");
    let body = format!(
        r#"{{"client_name":"{name}","grant_types":["authorization_code","refresh_token"],"scopes":[{scopes}],"audience":"internal","redirect_uris":["{}"],"public_client":true{extra}}}"#,
        redirect_uri()
    );
    let (status, json) =
        admin_request("POST", "/accounts/api/connectedApplications", Some(&body)).await;
    assert!(
        (200..300).contains(&status),
        "creating a connected app failed: {status} {json:?}"
    );
    get_str(&json, "client_id").expect("client_id in the created app")
}

/// Makes the mock server's `endpoint` fail the next `count` times in the way `kind` says.
pub async fn inject_fault(endpoint: &str, kind: &str, count: u32) {
    plan_fault(endpoint, kind, &format!(r#","count":{count}"#)).await;
}

/// Plans a fault of `kind` for `endpoint` with `extra` JSON members, e.g.
/// `,"body":"{}"` for `replace` or `,"claims":{"sub":1}` for `claims`.
pub async fn plan_fault(endpoint: &str, kind: &str, extra: &str) {
    let body = format!(r#"{{"endpoint":"{endpoint}","kind":"{kind}"{extra}}}"#);
    let (status, json) = admin_request("POST", "/__mock/faults", Some(&body)).await;
    assert!(
        (200..300).contains(&status),
        "fault injection failed: {status} {json:?}"
    );
}

/// Cancels every fault planned and not yet spent.
pub async fn clear_faults() {
    let (status, _) = admin_request("DELETE", "/__mock/faults", None).await;
    assert_eq!(status, 204, "clearing the faults");
}

/// `text` as a JSON string literal.
pub fn json_string(text: &str) -> String {
    js_sys::JSON::stringify(&JsValue::from_str(text))
        .unwrap()
        .as_string()
        .unwrap()
}

/// Cancels every navigation the element would start, so the test page stays.
pub fn prevent_navigation(el: &HtmlElement) {
    let listener = Closure::<dyn Fn(web_sys::Event)>::new(|e: web_sys::Event| e.prevent_default());
    el.add_event_listener_with_callback(
        "anypoint-signin-redirect",
        listener.as_ref().unchecked_ref(),
    )
    .unwrap();
    listener.forget();
}

/// A query parameter of `url`.
pub fn query_param(url: &str, name: &str) -> Option<String> {
    web_sys::Url::new(url).unwrap().search_params().get(name)
}

/// Clicks the element's button and returns the authorization URL it would navigate to.
pub async fn click_and_capture_authorize_url(el: &HtmlElement) -> String {
    prevent_navigation(el);
    let redirect = EventWaiter::new(el, "anypoint-signin-redirect");
    button(el).click();
    let detail = redirect.detail().await;
    get_str(&detail, "url").expect("redirect detail has a url")
}

/// The session storage of this tab.
pub fn session_storage() -> web_sys::Storage {
    window().session_storage().unwrap().unwrap()
}

/// Registers an app, signs in through the mock server (as `max`) and returns the element,
/// its client id, and the success event's detail.
pub async fn signed_in_element(
    scopes: &str,
    extra: &[(&str, &str)],
) -> (HtmlElement, String, JsValue) {
    signed_in_element_with(scopes, extra, None).await
}

/// [`signed_in_element`], with a fault planned for the token endpoint's answer to the code.
pub async fn signed_in_element_with(
    scopes: &str,
    extra: &[(&str, &str)],
    token_fault: Option<&str>,
) -> (HtmlElement, String, JsValue) {
    let client_id = register_public_app(&["openid", "profile", "email", "offline_access"]).await;
    let el = mock_element(&client_id, scopes, extra);
    let callback = authorize_as_max(&el).await;
    if let Some(kind) = token_fault {
        inject_fault("token", kind, 1).await;
    }
    let success = EventWaiter::new(&el, "anypoint-signin-success");
    handle_redirect_callback(&el, &callback)
        .await
        .expect("the sign-in completes");
    let detail = success.detail().await;
    (el, client_id, detail)
}

/// `fetch(url)` with a bearer token; returns the status.
pub async fn status_with_bearer(url: &str, token: &str) -> u16 {
    let init = web_sys::RequestInit::new();
    let headers = web_sys::Headers::new().unwrap();
    headers
        .set("Authorization", &format!("Bearer {token}"))
        .unwrap();
    init.set_headers(&headers);
    let response: web_sys::Response = JsFuture::from(window().fetch_with_str_and_init(url, &init))
        .await
        .unwrap()
        .unchecked_into();
    response.status()
}

/// POSTs a form body to `url`; returns the status.
pub async fn post_form(url: &str, body: &str) -> u16 {
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    let headers = web_sys::Headers::new().unwrap();
    headers
        .set("Content-Type", "application/x-www-form-urlencoded")
        .unwrap();
    init.set_headers(&headers);
    init.set_body(&JsValue::from_str(body));
    let response: web_sys::Response = JsFuture::from(window().fetch_with_str_and_init(url, &init))
        .await
        .unwrap()
        .unchecked_into();
    response.status()
}

/// Signs every element out and forgets stored sessions, so tests start signed out.
pub async fn sign_out(el: &HtmlElement) {
    let _ = await_promise(call(el.as_ref(), "signOut", &[])).await;
}
