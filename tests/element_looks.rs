//! The element's looks in a real browser: the icon and its slot, the text per `text` and the
//! default slot, `size`, `shape` and `theme` as the browser computes them (an unknown value
//! shows the default), the spinner while busy, the avatar and the sign-out button once
//! signed in, and right to left. `tests/looks.rs` checks the stylesheet's contrast natively.

#![cfg(target_arch = "wasm32")]

mod support;

use js_sys::{Array, Reflect};
use support::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

const DEFAULT: &str = "Sign in with Anypoint Platform";

fn signed_out(extra: &[(&str, &str)]) -> HtmlElement {
    let mut attrs = vec![
        ("clientid", "abc"),
        ("redirecturi", "https://app.example/cb"),
    ];
    attrs.extend_from_slice(extra);
    element(&attrs)
}

/// The computed value of `property` on the shadow node `selector`.
fn computed(el: &HtmlElement, selector: &str, property: &str) -> String {
    window()
        .get_computed_style(&shadow(el, selector))
        .unwrap()
        .unwrap()
        .get_property_value(property)
        .unwrap()
}

/// A number of the shadow node's `getBoundingClientRect()`: `width`, `left`, ...
fn rect(el: &HtmlElement, selector: &str, key: &str) -> f64 {
    let node = shadow(el, selector);
    get(&call(node.as_ref(), "getBoundingClientRect", &[]), key)
        .as_f64()
        .unwrap()
}

/// The nodes a slot of the shadow root is assigned.
fn assigned(el: &HtmlElement, selector: &str) -> Array {
    call(shadow(el, selector).as_ref(), "assignedNodes", &[]).unchecked_into()
}

/// Lets slot changes (signalled at a microtask checkpoint) reach the element.
async fn settle() {
    sleep(0).await;
}

#[wasm_bindgen_test]
fn the_button_holds_an_inline_svg_icon_then_its_text() {
    let el = signed_out(&[]);
    let b = button(&el);
    let mut parts = Vec::new();
    let mut child = b.first_element_child();
    while let Some(node) = child {
        parts.push(node.get_attribute("part").unwrap());
        child = node.next_element_sibling();
    }
    assert_eq!(parts, ["icon", "spinner", "label"]);
    let icon = shadow(&el, "[part=icon]");
    assert_eq!(icon.get_attribute("aria-hidden").as_deref(), Some("true"));
    let svg = shadow(&el, "[part=icon] > slot[name=icon] > svg");
    assert_eq!(
        svg.namespace_uri().as_deref(),
        Some("http://www.w3.org/2000/svg")
    );
    assert!(svg.query_selector("path[d]").unwrap().is_some());
    assert_eq!(computed(&el, "[part=icon] svg", "width"), "20px");
    assert_eq!(computed(&el, "[part=spinner]", "display"), "none");
    assert_eq!(b.text_content().as_deref(), Some(DEFAULT));
    // The avatar's line is hidden while signed out.
    assert!(shadow(&el, ".w").unchecked_into::<HtmlElement>().hidden());
    assert_eq!(computed(&el, ".w", "display"), "none");
    el.remove();
}

#[wasm_bindgen_test]
fn text_picks_the_label_and_an_unknown_value_the_default() {
    for (value, label) in [
        ("signin", DEFAULT),
        ("short", "Sign in"),
        ("continue", "Continue with Anypoint"),
        ("bogus", DEFAULT),
        ("toString", DEFAULT),
        ("", DEFAULT),
    ] {
        let el = signed_out(&[("text", value)]);
        let b = button(&el);
        assert_eq!(b.text_content().as_deref(), Some(label), "text={value:?}");
        assert_eq!(
            b.get_attribute("aria-label").as_deref(),
            Some(label),
            "the accessible name says what the button shows"
        );
        el.remove();
    }
    // At run time, through the property as well, without telling the flow.
    let el = signed_out(&[]);
    Reflect::set(el.as_ref(), &"text".into(), &"short".into()).unwrap();
    assert_eq!(el.get_attribute("text").as_deref(), Some("short"));
    assert_eq!(button(&el).text_content().as_deref(), Some("Sign in"));
    el.set_attribute("text", "continue").unwrap();
    assert_eq!(
        button(&el).text_content().as_deref(),
        Some("Continue with Anypoint")
    );
    el.remove_attribute("text").unwrap();
    assert_eq!(button(&el).text_content().as_deref(), Some(DEFAULT));
    assert!(
        !button(&el).disabled(),
        "a look is never a configuration error"
    );
    el.remove();
}

#[wasm_bindgen_test]
fn the_looks_properties_mirror_their_attributes() {
    let el = signed_out(&[]);
    let js: &JsValue = el.as_ref();
    for (attribute, value) in [
        ("size", "large"),
        ("shape", "pill"),
        ("theme", "dark"),
        ("text", "short"),
    ] {
        assert!(get(js, attribute).is_null(), "{attribute} starts unset");
        Reflect::set(js, &attribute.into(), &value.into()).unwrap();
        assert_eq!(el.get_attribute(attribute).as_deref(), Some(value));
        el.set_attribute(attribute, "other").unwrap();
        assert_eq!(get_str(js, attribute).as_deref(), Some("other"));
        Reflect::set(js, &attribute.into(), &JsValue::NULL).unwrap();
        assert!(!el.has_attribute(attribute));
    }
    el.remove();
}

#[wasm_bindgen_test]
fn size_sets_the_height_and_text_size() {
    for (value, height, font) in [
        (None, "44px", "16px"),
        (Some("small"), "32px", "14px"),
        (Some("medium"), "44px", "16px"),
        (Some("large"), "52px", "18px"),
        (Some("huge"), "44px", "16px"),
    ] {
        let el = signed_out(value.map(|v| ("size", v)).as_slice());
        assert_eq!(computed(&el, "button", "min-height"), height, "{value:?}");
        assert_eq!(computed(&el, "button", "font-size"), font, "{value:?}");
        let box_height = rect(&el, "button", "height");
        assert!(
            box_height >= height.trim_end_matches("px").parse::<f64>().unwrap(),
            "{value:?}: {box_height}"
        );
        el.remove();
    }
}

#[wasm_bindgen_test]
fn shape_rounds_the_corners() {
    let rect = signed_out(&[]);
    assert_eq!(computed(&rect, "button", "border-top-left-radius"), "4px");
    let pill = signed_out(&[("shape", "pill")]);
    let radius = computed(&pill, "button", "border-top-left-radius");
    let px: f64 = radius.trim_end_matches("px").parse().unwrap();
    assert!(px > 100.0, "a pill's radius: {radius}");
    let odd = signed_out(&[("shape", "round")]);
    assert_eq!(computed(&odd, "button", "border-top-left-radius"), "4px");
    // The custom property wins over the shape.
    pill.style()
        .set_property("--anypoint-signin-radius", "7px")
        .unwrap();
    assert_eq!(computed(&pill, "button", "border-top-left-radius"), "7px");
    for el in [rect, pill, odd] {
        el.remove();
    }
}

#[wasm_bindgen_test]
fn theme_sets_the_colours_and_an_unknown_one_keeps_the_blue() {
    for (value, background, color, border) in [
        (
            None,
            "rgb(0, 95, 178)",
            "rgb(255, 255, 255)",
            "rgba(0, 0, 0, 0)",
        ),
        (
            Some("light"),
            "rgb(0, 95, 178)",
            "rgb(255, 255, 255)",
            "rgba(0, 0, 0, 0)",
        ),
        (
            Some("dark"),
            "rgb(19, 19, 20)",
            "rgb(227, 227, 227)",
            "rgb(142, 145, 143)",
        ),
        (
            Some("outline"),
            "rgb(255, 255, 255)",
            "rgb(0, 95, 178)",
            "rgb(0, 95, 178)",
        ),
        (
            Some("Dark"),
            "rgb(0, 95, 178)",
            "rgb(255, 255, 255)",
            "rgba(0, 0, 0, 0)",
        ),
    ] {
        let el = signed_out(value.map(|v| ("theme", v)).as_slice());
        assert_eq!(
            computed(&el, "button", "background-color"),
            background,
            "{value:?}"
        );
        assert_eq!(computed(&el, "button", "color"), color, "{value:?}");
        assert_eq!(
            computed(&el, "button", "border-top-color"),
            border,
            "{value:?}"
        );
        el.remove();
    }
    // A page's custom property wins over the theme's colour.
    let el = signed_out(&[("theme", "dark")]);
    el.style()
        .set_property("--anypoint-signin-background", "rgb(1, 2, 3)")
        .unwrap();
    assert_eq!(computed(&el, "button", "background-color"), "rgb(1, 2, 3)");
    el.remove();
}

#[wasm_bindgen_test]
fn a_disabled_button_takes_the_theme_s_disabled_colours() {
    for (theme, background, color) in [
        ("light", "rgb(228, 231, 235)", "rgb(79, 87, 98)"),
        ("dark", "rgb(42, 43, 46)", "rgb(163, 167, 173)"),
        ("outline", "rgb(241, 243, 245)", "rgb(87, 96, 112)"),
    ] {
        // No clientid: a configuration error disables the button.
        let el = element(&[("redirecturi", "https://app.example/cb"), ("theme", theme)]);
        assert!(button(&el).disabled());
        assert_eq!(computed(&el, "button", "background-color"), background);
        assert_eq!(computed(&el, "button", "color"), color);
        assert_eq!(computed(&el, "button", "opacity"), "1");
        el.remove();
    }
}

#[wasm_bindgen_test]
fn the_stylesheet_s_rules_all_parse() {
    // Every line of CSS is one rule: a rule the browser dropped would be missing here, and a
    // declaration it could not parse would be empty.
    let el = signed_out(&[]);
    let sheets = get(el.shadow_root().unwrap().as_ref(), "adoptedStyleSheets");
    let rules = get(&Reflect::get_u32(&sheets, 0).unwrap(), "cssRules");
    let texts: Vec<String> = (0..get(&rules, "length").as_f64().unwrap() as u32)
        .map(|i| get_str(&Reflect::get_u32(&rules, i).unwrap(), "cssText").unwrap())
        .collect();
    let all = texts.join("\n");
    assert!(
        all.contains("@media (prefers-reduced-motion: reduce)"),
        "{all}"
    );
    assert!(all.contains("color-mix(in srgb"), "the hover colour: {all}");
    assert!(all.contains(":host(:dir(rtl)) svg"), "{all}");
    assert!(all.contains("@keyframes s"), "{all}");
    assert_eq!(texts.len(), 26, "{all}");
    el.remove();
}

#[wasm_bindgen_test]
async fn the_icon_slot_replaces_the_icon() {
    let el = signed_out(&[]);
    let mine = document().create_element("span").unwrap();
    mine.set_attribute("slot", "icon").unwrap();
    mine.set_text_content(Some("★"));
    el.append_child(&mine).unwrap();
    settle().await;
    let nodes = assigned(&el, "slot[name=icon]");
    assert_eq!(nodes.length(), 1);
    assert!(nodes.get(0) == JsValue::from(mine.clone()));
    // The slotted icon takes the icon's box; the text stays.
    assert_eq!(
        window()
            .get_computed_style(&mine)
            .unwrap()
            .unwrap()
            .get_property_value("width")
            .unwrap(),
        "20px"
    );
    assert_eq!(button(&el).text_content().as_deref(), Some(DEFAULT));
    assert_eq!(
        button(&el).get_attribute("aria-label").as_deref(),
        Some(DEFAULT)
    );
    el.remove();
}

#[wasm_bindgen_test]
async fn the_default_slot_replaces_the_text_and_names_the_button() {
    // White space between tags is assigned to the default slot too: it keeps the text.
    let el = signed_out(&[]);
    el.append_with_str_1("\n  ").unwrap();
    settle().await;
    assert_eq!(assigned(&el, "slot:not([name])").length(), 1);
    assert_eq!(
        button(&el).text_content().as_deref(),
        Some(DEFAULT),
        "white space alone keeps the text"
    );
    el.append_with_str_1("Log in to Acme").unwrap();
    settle().await;
    let b = button(&el);
    assert_eq!(
        shadow(&el, "[part=label]").text_content().as_deref(),
        Some(""),
        "the slotted text replaces the element's"
    );
    assert_eq!(
        b.get_attribute("aria-label"),
        None,
        "the slotted text names the button"
    );
    el.set_text_content(None);
    settle().await;
    assert_eq!(button(&el).text_content().as_deref(), Some(DEFAULT));
    assert_eq!(
        button(&el).get_attribute("aria-label").as_deref(),
        Some(DEFAULT)
    );
    el.remove();
}

#[wasm_bindgen_test]
async fn a_sign_in_under_way_shows_a_spinner_and_says_so() {
    let el = element(&[
        ("clientid", "abc"),
        ("redirecturi", &redirect_uri()),
        ("issuer", "http://127.0.0.1:9/accounts/api/v2/oauth2"),
        ("size", "large"),
    ]);
    prevent_navigation(&el);
    let errors = EventWaiter::new(&el, "anypoint-signin-error");
    let before = rect(&el, "button", "width");
    button(&el).click();
    let b = button(&el);
    assert_eq!(b.get_attribute("aria-busy").as_deref(), Some("true"));
    assert!(b.disabled());
    assert_eq!(computed(&el, "[part=spinner]", "display"), "block");
    assert!(computed(&el, "[part=spinner]", "animation-name").contains('s'));
    assert_eq!(computed(&el, "[part=icon]", "display"), "none");
    let status = shadow(&el, ".v");
    assert_eq!(status.get_attribute("role").as_deref(), Some("status"));
    assert_eq!(status.text_content().as_deref(), Some("Signing in…"));
    assert_eq!(
        computed(&el, ".v", "width"),
        "1px",
        "the status is for screen readers only"
    );
    // Busy keeps the theme's colours (not the disabled ones), and the button's width.
    assert_eq!(
        computed(&el, "button", "background-color"),
        "rgb(0, 95, 178)"
    );
    assert!((rect(&el, "button", "width") - before).abs() < 1.0);
    errors.detail().await;
    assert_eq!(b.get_attribute("aria-busy").as_deref(), Some("false"));
    assert_eq!(computed(&el, "[part=spinner]", "display"), "none");
    assert_eq!(status.text_content().as_deref(), Some(""));
    el.remove();
}

#[wasm_bindgen_test]
fn right_to_left_mirrors_the_icon() {
    let el = signed_out(&[]);
    assert_eq!(computed(&el, "[part=icon] svg", "transform"), "none");
    el.set_attribute("dir", "rtl").unwrap();
    assert_eq!(
        computed(&el, "[part=icon] svg", "transform"),
        "matrix(-1, 0, 0, 1, 0, 0)"
    );
    // The icon stays at the start: on the right.
    assert!(
        rect(&el, "[part=icon]", "left") > rect(&el, "[part=label]", "left"),
        "the icon is right of the text"
    );
    el.remove();
}

#[wasm_bindgen_test]
async fn signed_in_shows_the_initial_the_name_and_a_sign_out_button() {
    let (el, _, _) = signed_in_element("openid profile", &[("theme", "outline")]).await;
    let b = button(&el);
    assert_eq!(b.tag_name(), "BUTTON");
    assert_eq!(b.type_(), "button");
    assert!(!b.disabled());
    assert_eq!(b.tab_index(), 0, "reachable with the keyboard");
    assert_eq!(b.text_content().as_deref(), Some("Sign out"));
    assert_eq!(
        b.get_attribute("aria-label").as_deref(),
        Some("Sign out (Max Mule)")
    );
    assert!(
        b.query_selector("[part=icon]").unwrap().is_none(),
        "no sign-in icon on the sign-out button"
    );
    let avatar = shadow(&el, "[part=avatar]");
    assert_eq!(avatar.text_content().as_deref(), Some("M"));
    assert_eq!(avatar.get_attribute("aria-hidden").as_deref(), Some("true"));
    assert_eq!(
        computed(&el, "[part=avatar]", "border-top-left-radius"),
        "50%"
    );
    assert_eq!(computed(&el, ".w", "display"), "flex");
    assert_eq!(
        shadow(&el, "[part=user]").text_content().as_deref(),
        Some("Signed in as Max Mule")
    );
    b.focus().unwrap();
    let active = el.shadow_root().unwrap().active_element();
    assert!(
        active == Some(b.clone().unchecked_into()),
        "the button takes focus"
    );
    // The default slot's text does not replace "Sign out".
    el.append_with_str_1("Log in to Acme").unwrap();
    settle().await;
    assert_eq!(button(&el).text_content().as_deref(), Some("Sign out"));
    // Signing out brings the icon and the text back.
    let signed_out = EventWaiter::new(&el, "anypoint-signin-signout");
    b.click();
    signed_out.detail().await;
    assert!(shadow(&el, ".w").unchecked_into::<HtmlElement>().hidden());
    assert!(b.query_selector("[part=icon]").unwrap().is_some());
    assert_eq!(
        shadow(&el, "[part=label]").text_content().as_deref(),
        Some("")
    );
    el.set_text_content(None);
    settle().await;
    assert_eq!(button(&el).text_content().as_deref(), Some(DEFAULT));
    el.remove();
}
