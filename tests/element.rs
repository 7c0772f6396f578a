//! The element in a real browser: upgrade, rendering, attribute ↔ property mapping, and the
//! configuration errors a web developer can make.

#![cfg(target_arch = "wasm32")]

mod support;

use support::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn element_is_defined_and_renders_a_labelled_button() {
    document();
    assert!(
        window()
            .custom_elements()
            .get("anypoint-signin")
            .is_function(),
        "<anypoint-signin> is not defined"
    );
    let el = element(&[
        ("clientid", "abc"),
        ("redirecturi", "https://app.example/cb"),
    ]);
    let b = button(&el);
    assert_eq!(b.type_(), "button");
    assert_eq!(b.text_content().unwrap(), "Sign in with Anypoint Platform");
    assert_eq!(
        b.get_attribute("aria-label").as_deref(),
        Some("Sign in with Anypoint Platform")
    );
    assert_eq!(b.get_attribute("aria-busy").as_deref(), Some("false"));
    assert!(!b.disabled());
    assert_eq!(b.get_attribute("part").as_deref(), Some("button"));
    el.remove();
}

#[wasm_bindgen_test]
fn attributes_and_properties_mirror_each_other() {
    let el = element(&[]);
    let js: &JsValue = el.as_ref();
    for (attribute, property) in [
        ("clientid", "clientId"),
        ("redirecturi", "redirectUri"),
        ("scopes", "scopes"),
        ("issuer", "issuer"),
        ("region", "region"),
    ] {
        js_sys::Reflect::set(js, &property.into(), &"from-property".into()).unwrap();
        assert_eq!(
            el.get_attribute(attribute).as_deref(),
            Some("from-property"),
            "setting .{property} sets the {attribute} attribute"
        );
        el.set_attribute(attribute, "from-attribute").unwrap();
        assert_eq!(get_str(js, property).as_deref(), Some("from-attribute"));
        js_sys::Reflect::set(js, &property.into(), &JsValue::NULL).unwrap();
        assert!(!el.has_attribute(attribute), "null removes {attribute}");
    }
    el.remove();
}

#[wasm_bindgen_test]
fn read_only_state_properties_start_signed_out() {
    let el = element(&[("clientid", "abc")]);
    let js: &JsValue = el.as_ref();
    assert_eq!(get(js, "signedIn"), JsValue::FALSE);
    assert!(get(js, "accessToken").is_null());
    assert!(get(js, "user").is_null());
    el.remove();
}

#[wasm_bindgen_test]
async fn a_property_set_before_upgrade_takes_effect() {
    // An element created by a framework may get properties before its class is defined:
    // simulate with an element whose own property shadows the accessor.
    let el: web_sys::HtmlElement = document()
        .create_element("anypoint-signin")
        .unwrap()
        .unchecked_into();
    let js: &JsValue = el.as_ref();
    js_sys::Object::define_property(
        &js.clone().into(),
        &"clientId".into(),
        &js_sys::Object::from_entries(&js_sys::Array::of2(
            &js_sys::Array::of2(&"value".into(), &"early".into()),
            &js_sys::Array::of2(&"configurable".into(), &JsValue::TRUE),
        ))
        .unwrap(),
    );
    document().body().unwrap().append_child(&el).unwrap();
    assert_eq!(el.get_attribute("clientid").as_deref(), Some("early"));
    el.remove();
}

async fn assert_config_error(attrs: &[(&str, &str)], code: &str, mentions: &str) {
    let (el, errors) = element_listening(attrs, "anypoint-signin-error");
    let detail = errors.detail().await;
    assert_eq!(get_str(&detail, "code").as_deref(), Some(code));
    let description = get_str(&detail, "description").unwrap();
    assert!(
        description.contains(mentions),
        "{description:?} should mention {mentions:?}"
    );
    let b = button(&el);
    assert!(b.disabled(), "a misconfigured button is disabled");
    assert_eq!(
        shadow(&el, "[part=message]").text_content().as_deref(),
        Some(description.as_str()),
        "the reason is shown on the element"
    );
    el.remove();
}

#[wasm_bindgen_test]
async fn missing_clientid_is_reported_and_disables_the_button() {
    assert_config_error(
        &[("redirecturi", "https://app.example/cb")],
        "missing_client_id",
        "clientid",
    )
    .await;
}

#[wasm_bindgen_test]
async fn relative_redirecturi_is_reported() {
    assert_config_error(
        &[("clientid", "abc"), ("redirecturi", "/callback")],
        "invalid_redirect_uri",
        "redirecturi",
    )
    .await;
}

#[wasm_bindgen_test]
async fn non_http_redirecturi_is_reported() {
    assert_config_error(
        &[("clientid", "abc"), ("redirecturi", "javascript:alert(1)")],
        "invalid_redirect_uri",
        "redirecturi",
    )
    .await;
}

#[wasm_bindgen_test]
async fn unknown_region_is_reported() {
    assert_config_error(
        &[
            ("clientid", "abc"),
            ("redirecturi", "https://app.example/cb"),
            ("region", "mars"),
        ],
        "unknown_region",
        "mars",
    )
    .await;
}

#[wasm_bindgen_test]
async fn a_script_logouturl_is_a_configuration_error() {
    for value in [
        "javascript:alert(1)",
        "data:text/html,<b>x</b>",
        "/signed-out",
    ] {
        assert_config_error(
            &[
                ("clientid", "abc"),
                ("redirecturi", "https://app.example/cb"),
                ("logouturl", value),
            ],
            "invalid_logout_url",
            value,
        )
        .await;
    }
}

#[wasm_bindgen_test]
async fn a_plain_http_exchangeurl_on_another_origin_is_a_configuration_error() {
    for value in [
        "http://backend.example/exchange",
        "//backend.example/x",
        "javascript:x",
        // Not a URL the runner can resolve: quoted as written.
        "http://[",
        " http://backend.example/x ",
    ] {
        assert_config_error(
            &[
                ("clientid", "abc"),
                ("redirecturi", "https://app.example/cb"),
                ("exchangeurl", value),
            ],
            "invalid_exchange_url",
            value,
        )
        .await;
    }
}

#[wasm_bindgen_test]
fn an_exchangeurl_on_this_origin_or_https_is_accepted() {
    for value in [
        "/api/anypoint/token",
        "https://backend.example/exchange",
        "api/token",
        " /api/token ",
    ] {
        let el = element(&[
            ("clientid", "abc"),
            ("redirecturi", "https://app.example/cb"),
            ("exchangeurl", value),
            ("logouturl", "https://anypoint.mulesoft.com/logout"),
        ]);
        assert!(!button(&el).disabled(), "{value}");
        el.remove();
    }
}

#[wasm_bindgen_test]
async fn fixing_the_configuration_at_run_time_enables_the_button() {
    let (el, errors) = element_listening(
        &[("redirecturi", "https://app.example/cb")],
        "anypoint-signin-error",
    );
    errors.detail().await;
    assert!(button(&el).disabled());
    el.set_attribute("clientid", "now-set").unwrap();
    assert!(!button(&el).disabled(), "the new clientid applies at once");
    assert_eq!(
        shadow(&el, "[part=message]").text_content().as_deref(),
        Some("")
    );
    el.remove();
}

use wasm_bindgen::JsCast;

/// Regression: `font: 600 1rem/1.25 inherit` is invalid CSS, so the browser dropped the
/// whole declaration and the button fell back to the user agent's small regular font.
#[wasm_bindgen_test]
fn the_button_text_is_bold_and_readable() {
    let el = element(&[
        ("clientid", "abc"),
        ("redirecturi", "https://app.example/cb"),
    ]);
    let style = window()
        .get_computed_style(&button(&el))
        .unwrap()
        .expect("computed style");
    assert_eq!(style.get_property_value("font-weight").unwrap(), "600");
    let root_size = window()
        .get_computed_style(&document().document_element().unwrap())
        .unwrap()
        .unwrap()
        .get_property_value("font-size")
        .unwrap();
    assert_eq!(style.get_property_value("font-size").unwrap(), root_size);
    assert_eq!(
        style.get_property_value("background-color").unwrap(),
        "rgb(0, 95, 178)",
        "a blue dark enough for white text (6.4:1, WCAG AA)"
    );
    el.remove();
}
